package blocks

import (
	"fmt"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
)

// Border says what [SampleBilinear] reads outside the image.
type Border int

const (
	// BorderZeros reads 0 outside the image (PyTorch grid_sample padding_mode="zeros").
	BorderZeros Border = iota
	// BorderClamp repeats the edge pixels (padding_mode="border").
	BorderClamp
)

// SampleBilinear reads image [N, H, W, C] at real-valued points [N, Ho, Wo, 2] given in pixel
// units as (y, x), pixel centres at integers (so (0, 0) is the top-left pixel's centre),
// returning [N, Ho, Wo, C]:
//
//	out = Σ_{corners} (1 − |y − yc|)(1 − |x − xc|) · image[yc, xc]
//
// over the four integer corners around (y, x). It is differentiable with respect to both the
// image (a scatter-add into the four corners) and the points (the bilinear weights' slopes);
// the corner indices come from Floor under StopGradient, since Floor has no gradient on the go
// backend. At exactly integer coordinates the point-gradient is one-sided.
func SampleBilinear(image, points *Node, border Border) *Node {
	if image.Rank() != 4 || points.Rank() != 4 || points.Shape().Dimensions[3] != 2 ||
		points.Shape().Dimensions[0] != image.Shape().Dimensions[0] {
		panic(fmt.Errorf("blocks.SampleBilinear: want image [N,H,W,C] and points [N,Ho,Wo,2], got %s and %s", image.Shape(), points.Shape()))
	}
	n, h, w := image.Shape().Dimensions[0], image.Shape().Dimensions[1], image.Shape().Dimensions[2]
	ho, wo := points.Shape().Dimensions[1], points.Shape().Dimensions[2]
	g := image.Graph()
	// Pad the channels to a multiple of 16. The image's gradient is a scatter-add of C-element
	// pixels; the go backend adds each pixel with a SIMD loop whose tail (Go 1.27
	// simd/archsimd Load…Part) reads a whole 16-float vector, up to 60 bytes past the pixel. For
	// the last pixel of a buffer that ends at an inaccessible page this crashed the process
	// (SIGSEGV in ScatterAdd, C = 3, seen in CI). Whole vectors have no tail read.
	c := image.Shape().Dimensions[3]
	if padded := (c + 15) / 16 * 16; c > 1 && padded != c {
		zeros := Zeros(g, shapeOf(image.DType(), n, h, w, padded-c))
		out := SampleBilinear(Concatenate([]*Node{image, zeros}, -1), points, border)
		return Slice(out, AxisRange(), AxisRange(), AxisRange(), AxisRange(0, c))
	}
	y := Slice(points, AxisRange(), AxisRange(), AxisRange(), AxisElem(0)) // [N,Ho,Wo,1]
	x := Slice(points, AxisRange(), AxisRange(), AxisRange(), AxisElem(1))
	if border == BorderClamp {
		// Min/Max rather than Clip: Clamp has no gradient in GoMLX.
		y = Max(Min(y, Scalar(g, y.DType(), float64(h-1))), ScalarZero(g, y.DType()))
		x = Max(Min(x, Scalar(g, x.DType(), float64(w-1))), ScalarZero(g, x.DType()))
	}
	y0 := StopGradient(Floor(y))
	x0 := StopGradient(Floor(x))
	fy := Sub(y, y0) // ∈ [0,1): its gradient w.r.t. y is 1.
	fx := Sub(x, x0)
	batchIdx := BroadcastToDims(Reshape(Iota(g, shapeOf(dtypes.Int32, n), 0), n, 1, 1, 1), n, ho, wo, 1)

	var out *Node
	for _, dy := range []int{0, 1} {
		for _, dx := range []int{0, 1} {
			yc := AddScalar(y0, float64(dy))
			xc := AddScalar(x0, float64(dx))
			wy := fy
			if dy == 0 {
				wy = OneMinus(fy)
			}
			wx := fx
			if dx == 0 {
				wx = OneMinus(fx)
			}
			weight := Mul(wy, wx) // [N,Ho,Wo,1]
			if border == BorderZeros {
				inside := LogicalAnd(
					LogicalAnd(GreaterOrEqual(yc, ZerosLike(yc)), LessOrEqual(yc, Scalar(g, yc.DType(), float64(h-1)))),
					LogicalAnd(GreaterOrEqual(xc, ZerosLike(xc)), LessOrEqual(xc, Scalar(g, xc.DType(), float64(w-1)))))
				weight = Where(inside, weight, ZerosLike(weight))
			}
			yi := ConvertDType(Clip( // indices carry no gradient: Clip is fine here.
				yc, ScalarZero(g, yc.DType()), Scalar(g, yc.DType(), float64(h-1))), dtypes.Int32)
			xi := ConvertDType(Clip(xc, ScalarZero(g, xc.DType()), Scalar(g, xc.DType(), float64(w-1))), dtypes.Int32)
			idx := Concatenate([]*Node{batchIdx, yi, xi}, -1) // [N,Ho,Wo,3]
			term := Mul(Gather(image, idx), weight)           // [N,Ho,Wo,C]
			if out == nil {
				out = term
			} else {
				out = Add(out, term)
			}
		}
	}
	return out
}

// IdentityGrid returns the points [N, H, W, 2] of every pixel centre, (y, x) = (i, j), so that
// SampleBilinear(image, IdentityGrid(...)) == image.
func IdentityGrid(g *Graph, dtype dtypes.DType, n, h, w int) *Node {
	ys := Iota(g, shapeOf(dtype, n, h, w, 1), 1)
	xs := Iota(g, shapeOf(dtype, n, h, w, 1), 2)
	return Concatenate([]*Node{ys, xs}, -1)
}

// Warp moves image [N, H, W, C] by a backward flow field [N, Ho, Wo, 2] in pixels:
// out[i, j] = image at (i + flow_y[i,j], j + flow_x[i,j]) (bilinear, zeros outside). Ho, Wo may
// differ from H, W; then the grid is the output's pixel grid scaled to the image
// (i·(H−1)/(Ho−1), likewise for j, with align-corners semantics). This is how the bi-layer
// avatar applies its predicted warp to the high-frequency texture.
func Warp(image, flow *Node) *Node {
	n, h, w := image.Shape().Dimensions[0], image.Shape().Dimensions[1], image.Shape().Dimensions[2]
	ho, wo := flow.Shape().Dimensions[1], flow.Shape().Dimensions[2]
	grid := IdentityGrid(image.Graph(), flow.DType(), n, ho, wo)
	if ho != h || wo != w {
		sy, sx := 1.0, 1.0
		if ho > 1 {
			sy = float64(h-1) / float64(ho-1)
		}
		if wo > 1 {
			sx = float64(w-1) / float64(wo-1)
		}
		scale := Const(image.Graph(), []float64{sy, sx})
		grid = Mul(grid, ConvertDType(scale, flow.DType()))
	}
	return SampleBilinear(image, Add(grid, flow), BorderZeros)
}
