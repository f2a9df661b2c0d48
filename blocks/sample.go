package blocks

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"
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
// the corner indices are the points' integer parts under StopGradient (they have no gradient).
// At exactly integer coordinates the point-gradient is one-sided.
//
// It is SampleTable of the image's CornerTable: where one image is read at many sets of points
// (an avatar's texture, warped every frame), build the table once and call SampleTable.
func SampleBilinear(image, points *Node, border Border) *Node {
	return SampleTable(CornerTable(image), points, image.Shape().Dimensions[3], border)
}

// CornerTable lays image [N, H, W, C] out for SampleTable: [N, H+3, W+3, 4·C4], with C4 the
// channel count rounded up to a multiple of 4 (the extra channels are 0). Entry [n, i, j] holds
// the 2×2 window of the image padded with one zero row and column before it and three after:
// its pixels (i, j), (i, j+1), (i+1, j), (i+1, j+1), C4 values each.
//
// Why a table: a sample then reads its four corners as one contiguous row, with one Gather of
// rows; the go backend gathers rows several times faster than 2×2 windows (GatherSlices), which
// it copies row by row. Why C4: the image's gradient is a scatter-add of those rows, which the go
// backend adds with a SIMD loop whose tail (Go 1.27 simd/archsimd Load…Part) reads a whole
// 16-float vector, up to 60 bytes past the row; for the last row of a buffer that ends at an
// inaccessible page this crashed the process (SIGSEGV in ScatterAdd, C = 3, seen in CI). Rows of
// 4·C4 values, a multiple of 16, have no tail.
func CornerTable(image *Node) *Node {
	if image.Rank() != 4 {
		panic(fmt.Errorf("blocks.CornerTable: want image [N,H,W,C], got %s", image.Shape()))
	}
	h, w, c := image.Shape().Dimensions[1], image.Shape().Dimensions[2], image.Shape().Dimensions[3]
	c4 := (c + 3) / 4 * 4
	padded := Pad(image, ScalarZero(image.Graph(), image.DType()), compute.PadAxis{},
		compute.PadAxis{Start: 1, End: 3}, compute.PadAxis{Start: 1, End: 3}, compute.PadAxis{End: c4 - c}) // [N, H+4, W+4, C4]
	corner := func(dy, dx int) *Node {
		return Slice(padded, AxisRange(), AxisRange(dy, dy+h+3), AxisRange(dx, dx+w+3), AxisRange())
	}
	return Concatenate([]*Node{corner(0, 0), corner(0, 1), corner(1, 0), corner(1, 1)}, -1)
}

// SampleTable is SampleBilinear of the image of C channels whose CornerTable is table
// [N, H+3, W+3, 4·C4], at points [N, Ho, Wo, 2]: [N, Ho, Wo, C].
func SampleTable(table, points *Node, c int, border Border) *Node {
	checkTable("SampleTable", table, points, c)
	// The table's coordinates are one more than the image's.
	return sampleTableAt(table, AddScalar(points, 1), c, border)
}

func checkTable(op string, table, points *Node, c int) {
	if table.Rank() != 4 || points.Rank() != 4 || points.Shape().Dimensions[3] != 2 ||
		points.Shape().Dimensions[0] != table.Shape().Dimensions[0] || c <= 0 || table.Shape().Dimensions[3] != 4*((c+3)/4*4) {
		panic(fmt.Errorf("blocks.%s: want the CornerTable [N,H+3,W+3,4·C4] of an image of %d channels and points [N,Ho,Wo,2], got %s and %s", op, c, table.Shape(), points.Shape()))
	}
}

// sampleTableAt is SampleTable at points p given in the table's coordinates.
//
// Each step works on both coordinates at once, and the bilinear weights are two small matrix
// products: on the go backend, slicing y and x apart is a strided copy each, and broadcasting a
// short vector along the last axis (the clamp bounds, the weights' offsets) is several times
// slower than the same op on whole arrays, so those constants are repeated per pixel
// (PerPixel) and broadcast only along the batch.
func sampleTableAt(table, p *Node, c int, border Border) *Node {
	n, hp, wp, row := table.Shape().Dimensions[0], table.Shape().Dimensions[1], table.Shape().Dimensions[2], table.Shape().Dimensions[3]
	h, w, c4 := hp-3, wp-3, row/4
	ho, wo := p.Shape().Dimensions[1], p.Shape().Dimensions[2]
	g, dtype := table.Graph(), p.DType()
	// Min/Max rather than Clip: Clamp has no gradient in GoMLX. Further out than one pixel, all four
	// corners read the padding; with BorderClamp, the window at the last row or column reaches one
	// past it, always with weight 0.
	lo, hi := []float64{0, 0}, []float64{float64(h + 1), float64(w + 1)}
	if border == BorderClamp {
		lo, hi = []float64{1, 1}, []float64{float64(h), float64(w)}
	}
	if h == w {
		p = Max(Min(p, Scalar(g, dtype, hi[0])), Scalar(g, dtype, lo[0]))
	} else {
		p = Max(Min(p, PerPixel(g, dtype, hi, ho, wo, 2)), PerPixel(g, dtype, lo, ho, wo, 2))
	}
	// The window's corner (y0, x0) = ⌊p⌋, as the integer part: p ≥ 0 here, and the conversion is
	// a SIMD op where the go backend's Floor is a scalar loop.
	at := ConvertDType(p, dtypes.Int32)
	f := Reshape(Sub(p, StopGradient(ConvertDType(at, dtype))), n*ho*wo, 2) // (fy, fx) ∈ [0,1)²: its gradient w.r.t. p is 1.
	// Each window is a row of the table [N·(H+3), W+3, 4·C4], at (y0 + n·(H+3), x0).
	if n > 1 {
		offsets := make([]int32, 0, n*ho*wo*2)
		for b := range n {
			for range ho * wo {
				offsets = append(offsets, int32(b*hp), 0)
			}
		}
		at = Add(at, Const(g, tensors.FromFlatDataAndDimensions(offsets, n, ho, wo, 2)))
	}
	windows := Reshape(Gather(Reshape(table, n*hp, wp, row), at, false), n*ho*wo, 4, c4)
	// The corners in the row's order: (y0, x0), (y0, x0+1), (y0+1, x0), (y0+1, x0+1), weighted
	// (1−fy)(1−fx), (1−fy)fx, fy(1−fx), fy·fx: the product of (1−fy, 1−fy, fy, fy) and
	// (1−fx, fx, 1−fx, fx), each an affine function of (fy, fx).
	affine := func(m, b []float64) *Node {
		return Add(Reshape(Dot(f, constantOf(g, dtype, m, 2, 4)).Product(), n, ho*wo, 4), PerPixel(g, dtype, b, ho*wo, 4))
	}
	weights := Mul(affine([]float64{-1, -1, 1, 1, 0, 0, 0, 0}, []float64{1, 1, 0, 0}),
		affine([]float64{0, 0, 0, 0, -1, 1, -1, 1}, []float64{1, 0, 1, 0})) // [N, Ho·Wo, 4]
	// Σ over the corners, dropping the padding channels, as a product with the 4·C4 × C matrix
	// [I; I; I; I]: a reduction over an inner axis is several times slower on the go backend
	// than a small matrix product.
	sum := make([]float64, row*c)
	for i := range row {
		if i%c4 < c {
			sum[i*c+i%c4] = 1
		}
	}
	weighted := Reshape(Mul(windows, Reshape(weights, n*ho*wo, 4, 1)), n*ho*wo, row)
	return Reshape(Dot(weighted, constantOf(g, table.DType(), sum, row, c)).Product(), n, ho, wo, c)
}

// PerPixel is the constant [1, dims…] of dtype that holds v at every position of its last axis,
// whose size is len(v): a per-channel constant repeated at every pixel, which broadcasts along a
// leading batch axis. On the go backend, an operation between an image and such a constant is
// several times faster than one that broadcasts the short vector v along the image's last axis.
func PerPixel(g *Graph, dtype dtypes.DType, v []float64, dims ...int) *Node {
	if len(dims) == 0 || dims[len(dims)-1] != len(v) {
		panic(fmt.Errorf("blocks.PerPixel: %d values for a last axis of dims %v", len(v), dims))
	}
	size := 1
	for _, d := range dims {
		size *= d
	}
	values := make([]float64, 0, size)
	for range size / len(v) {
		values = append(values, v...)
	}
	return constantOf(g, dtype, values, append([]int{1}, dims...)...)
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
	return WarpTable(CornerTable(image), flow, image.Shape().Dimensions[3])
}

// WarpTable is Warp of the image of c channels whose CornerTable is table.
func WarpTable(table, flow *Node, c int) *Node {
	checkTable("WarpTable", table, flow, c)
	h, w := table.Shape().Dimensions[1]-3, table.Shape().Dimensions[2]-3
	ho, wo := flow.Shape().Dimensions[1], flow.Shape().Dimensions[2]
	sy, sx := 1.0, 1.0
	if ho > 1 {
		sy = float64(h-1) / float64(ho-1)
	}
	if wo > 1 {
		sx = float64(w-1) / float64(wo-1)
	}
	// The output's pixel grid in the table's coordinates (one more than the image's), as one
	// constant.
	grid := make([]float64, ho*wo*2)
	for i := range ho {
		for j := range wo {
			grid[(i*wo+j)*2], grid[(i*wo+j)*2+1] = float64(i)*sy+1, float64(j)*sx+1
		}
	}
	return sampleTableAt(table, Add(flow, constantOf(table.Graph(), flow.DType(), grid, 1, ho, wo, 2)), c, BorderZeros)
}
