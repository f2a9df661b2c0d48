package blocks

import (
	"fmt"

	"github.com/gomlx/compute"
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
//
// The four corners are read by one GatherSlices of a 2×2 window per point, from the image padded
// so that every window lies inside it: with BorderZeros, one zero row and column before and two
// after, and the points clamped to [−1, H] × [−1, W] (further out, all four corners read the
// padding). Four single-pixel Gathers cost twice as much at 64×64×3.
func SampleBilinear(image, points *Node, border Border) *Node {
	if image.Rank() != 4 || points.Rank() != 4 || points.Shape().Dimensions[3] != 2 ||
		points.Shape().Dimensions[0] != image.Shape().Dimensions[0] {
		panic(fmt.Errorf("blocks.SampleBilinear: want image [N,H,W,C] and points [N,Ho,Wo,2], got %s and %s", image.Shape(), points.Shape()))
	}
	n, h, w, c := image.Shape().Dimensions[0], image.Shape().Dimensions[1], image.Shape().Dimensions[2], image.Shape().Dimensions[3]
	ho, wo := points.Shape().Dimensions[1], points.Shape().Dimensions[2]
	g := image.Graph()
	// Pad the channels to a multiple of 8, so that a window's row (2 pixels) is a multiple of 16
	// values. The image's gradient is a scatter-add of those rows; the go backend adds each with
	// a SIMD loop whose tail (Go 1.27 simd/archsimd Load…Part) reads a whole 16-float vector, up
	// to 60 bytes past the row. For the last row of a buffer that ends at an inaccessible page
	// this crashed the process (SIGSEGV in ScatterAdd, C = 3, seen in CI). Whole vectors have no
	// tail read.
	if padded := (c + 7) / 8 * 8; padded != c {
		zeros := Zeros(g, shapeOf(image.DType(), n, h, w, padded-c))
		out := SampleBilinear(Concatenate([]*Node{image, zeros}, -1), points, border)
		return Slice(out, AxisRange(), AxisRange(), AxisRange(), AxisRange(0, c))
	}
	y := Slice(points, AxisRange(), AxisRange(), AxisRange(), AxisElem(0)) // [N,Ho,Wo,1]
	x := Slice(points, AxisRange(), AxisRange(), AxisRange(), AxisElem(1))
	// Min/Max rather than Clip: Clamp has no gradient in GoMLX.
	clamp := func(v *Node, lo, hi float64) *Node {
		return Max(Min(v, Scalar(g, v.DType(), hi)), Scalar(g, v.DType(), lo))
	}
	var padded *Node
	if border == BorderClamp {
		// The window at the last row or column reaches one past it, always with weight 0.
		y, x = clamp(y, 0, float64(h-1)), clamp(x, 0, float64(w-1))
		padded = Pad(image, ScalarZero(g, image.DType()), compute.PadAxis{}, compute.PadAxis{End: 1}, compute.PadAxis{End: 1}, compute.PadAxis{})
	} else {
		// In padded coordinates (one more than the image's), the image is rows 1…H, zeros around it.
		y, x = clamp(AddScalar(y, 1), 0, float64(h+1)), clamp(AddScalar(x, 1), 0, float64(w+1))
		padded = Pad(image, ScalarZero(g, image.DType()), compute.PadAxis{}, compute.PadAxis{Start: 1, End: 2}, compute.PadAxis{Start: 1, End: 2}, compute.PadAxis{})
	}
	y0 := StopGradient(Floor(y))
	x0 := StopGradient(Floor(x))
	fy := Sub(y, y0) // ∈ [0,1): its gradient w.r.t. y is 1.
	fx := Sub(x, x0)
	batchIdx := BroadcastToDims(Reshape(Iota(g, shapeOf(dtypes.Int32, n), 0), n, 1, 1, 1), n, ho, wo, 1)
	start := Concatenate([]*Node{batchIdx, ConvertDType(y0, dtypes.Int32), ConvertDType(x0, dtypes.Int32)}, -1) // [N,Ho,Wo,3]
	windows := Reshape(GatherSlices(padded, []int{0, 1, 2}, start, []int{1, 2, 2}, false), n, ho, wo, 4, c)
	// The corners in the window's order: (y0, x0), (y0, x0+1), (y0+1, x0), (y0+1, x0+1).
	weights := Stack([]*Node{Mul(OneMinus(fy), OneMinus(fx)), Mul(OneMinus(fy), fx), Mul(fy, OneMinus(fx)), Mul(fy, fx)}, 3) // [N,Ho,Wo,4,1]
	// Σ over the corners as a product with [I_C; I_C; I_C; I_C] (4C × C): a reduction over an
	// inner axis is several times slower on the go backend than a small matrix product.
	sum := make([][]float64, 4*c)
	for i := range sum {
		sum[i] = make([]float64, c)
		sum[i][i%c] = 1
	}
	return Reshape(Dot(Reshape(Mul(windows, weights), n*ho*wo, 4*c), ConvertDType(Const(g, sum), image.DType())).Product(), n, ho, wo, c)
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
