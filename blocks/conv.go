package blocks

import (
	"fmt"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX convention: graph ops read like math.
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// ConvSpec configures a 2-D convolution. The zero value means stride 1 and [Valid] padding.
type ConvSpec struct {
	Strides [2]int  // (vertical, horizontal) strides; 0 means 1.
	Padding Padding // default Valid.
}

func (s ConvSpec) strides() (int, int) {
	sy, sx := s.Strides[0], s.Strides[1]
	if sy == 0 {
		sy = 1
	}
	if sx == 0 {
		sx = 1
	}
	return sy, sx
}

// ConvOutputSize returns the spatial output size of a convolution of an in-sized axis.
func ConvOutputSize(in, kernel, stride, padLo, padHi int) int {
	return (in+padLo+padHi-kernel)/stride + 1
}

// Conv computes the 2-D convolution (cross-correlation, as in every deep-learning framework)
//
//	y[n, i, j, o] = Σ_{di, dj, c} xpad[n, i·sy + di, j·sx + dj, c] · kernel[di, dj, c, o]
//
// of x [N, H, W, Cin] (channels last) with kernel [KH, KW, Cin, Cout], giving y [N, Ho, Wo, Cout].
//
// It is formulated as im2col + one matrix multiplication inside the graph: the KH×KW windows of
// the padded input are gathered into [N·Ho·Wo, KH·KW·Cin] patches (see im2col) and multiplied by
// the kernel reshaped to [KH·KW·Cin, Cout]. On the pure-Go backend this is many times faster than
// the native convolution (a plain loop), and every op used has a gradient, so Conv is
// differentiable with respect to x and kernel.
//
// It panics (GoMLX convention inside graph building) when ranks or channel counts disagree, or
// when the kernel is larger than the padded input.
func Conv(x, kernel *Node, spec ConvSpec) *Node {
	if x.Rank() != 4 || kernel.Rank() != 4 {
		panic(fmt.Errorf("blocks.Conv: want x [N,H,W,C] and kernel [KH,KW,Cin,Cout], got %s and %s", x.Shape(), kernel.Shape()))
	}
	n, h, w, cin := x.Shape().Dimensions[0], x.Shape().Dimensions[1], x.Shape().Dimensions[2], x.Shape().Dimensions[3]
	kh, kw, kcin, cout := kernel.Shape().Dimensions[0], kernel.Shape().Dimensions[1], kernel.Shape().Dimensions[2], kernel.Shape().Dimensions[3]
	if kcin != cin {
		panic(fmt.Errorf("blocks.Conv: x has %d channels but kernel expects %d (x %s, kernel %s)", cin, kcin, x.Shape(), kernel.Shape()))
	}
	sy, sx := spec.strides()
	top, bottom := spec.Padding.amounts(0, h, kh, sy)
	left, right := spec.Padding.amounts(1, w, kw, sx)
	xp := padSpatial(x, top, bottom, left, right)
	hp, wp := h+top+bottom, w+left+right
	if hp < kh || wp < kw {
		panic(fmt.Errorf("blocks.Conv: kernel %dx%d larger than padded input %dx%d", kh, kw, hp, wp))
	}
	ho, wo := ConvOutputSize(h, kh, sy, top, bottom), ConvOutputSize(w, kw, sx, left, right)
	patches := im2col(xp, kh, kw, sy, sx, ho, wo)                  // [N·Ho·Wo, KH·KW·Cin]
	y := matmulByKernel(patches, Reshape(kernel, kh*kw*cin, cout)) // [N·Ho·Wo, Cout]
	return Reshape(y, n, ho, wo, cout)
}

// im2col extracts the KH×KW windows of xp [N, Hp, Wp, C] at stride (sy, sx) as rows of a matrix
// [N·Ho·Wo, KH·KW·C], ordered (di, dj, c) like a kernel [KH, KW, C, ·] reshaped to two axes.
//
// It is one GatherSlices: each window row of KW·C values is contiguous in NHWC memory, so the
// backend copies whole chunks, and its gradient is one scatter-add (a col2im). A formulation with
// KH·KW strided Slices was several times slower on the go backend: its slices copy element by
// element and each slice's gradient is a zero-filled Pad of the whole input.
func im2col(xp *Node, kh, kw, sy, sx, ho, wo int) *Node {
	n, c := xp.Shape().Dimensions[0], xp.Shape().Dimensions[3]
	if kh == 1 && kw == 1 && sy == 1 && sx == 1 {
		return Reshape(xp, n*ho*wo, c)
	}
	starts := make([]int32, 0, n*ho*wo*3)
	for b := range n {
		for i := range ho {
			for j := range wo {
				starts = append(starts, int32(b), int32(i*sy), int32(j*sx))
			}
		}
	}
	start := Const(xp.Graph(), tensors.FromFlatDataAndDimensions(starts, n, ho, wo, 3))
	windows := GatherSlices(xp, []int{0, 1, 2}, start, []int{1, kh, kw}, true) // [N, Ho, Wo, 1, KH, KW, C]
	return Reshape(windows, n*ho*wo, kh*kw*c)
}

// matmulByKernel computes patches [M, K] · kernel [K, Cout] → [M, Cout], with gradients
//
//	∂/∂patches = v · kernelᵀ   [M, K]   (v = the output's adjoint [M, Cout])
//	∂/∂kernel  = (vᵀ · patches)ᵀ [K, Cout]
//
// written out (withGradients) rather than left to the automatic derivative of DotGeneral. The go
// backend's GEMM wants each operand's contracted axis last, or the right operand as
// [contracting, cross], and transposes anything else; its transposes of large [M, ·] matrices
// cost several times a copy (docs/performance.md). The automatic derivative of a right-hand
// operand always contracts the adjoint over its leading axis, so either arrangement of the
// forward product pays for transposes of M-row matrices twice or three times per layer. With the
// forward product as patches · kernel and these two gradients, only v is transposed, once: the
// kernel's gradient has to contract over M, and v is the smaller of its two operands (Cout
// against K columns). TestMatmulByKernelGradients compares both with the automatic ones.
func matmulByKernel(patches, kernel *Node) *Node {
	if m, k, cout := patches.Shape().Dimensions[0], kernel.Shape().Dimensions[0], kernel.Shape().Dimensions[1]; narrowProductPays(m, k, cout) {
		wide := (cout + 3) / 4 * 4
		kernel = Pad(kernel, ScalarZero(kernel.Graph(), kernel.DType()), compute.PadAxis{}, compute.PadAxis{End: wide - cout})
		return Slice(matmulByKernel(patches, kernel), AxisRange(), AxisRange(0, cout))
	}
	return withGradients([]*Node{patches, kernel},
		func(in []*Node) *Node { return DotGeneral(in[0], []int{1}, nil, in[1], []int{0}, nil) },      // [M, Cout]
		func(in []*Node, v *Node) *Node { return DotGeneral(v, []int{1}, nil, in[1], []int{1}, nil) }, // v · kernelᵀ: [M, K]
		func(in []*Node, v *Node) *Node {
			vT := transposeAdjoint(v)                                                   // [Cout, M]
			return Transpose(DotGeneral(vT, []int{1}, nil, in[0], []int{0}, nil), 0, 1) // (vᵀ · patches)ᵀ: [K, Cout]
		})
}

// narrowProductPays says whether an [m, k]·[k, n] product is faster with the right operand
// widened by zero columns to a multiple of 4. The go backend (compute v0.1.14) multiplies
// products of fewer than 4·2²⁰ multiply-adds with its "small" AVX-512 kernel, which computes
// columns four at a time and each remaining one in a scalar tail, ≈ 12× slower per column: at
// [1024, 288]·[288, 3] (the bi-layer avatar's gate-and-warp head) the product took 170 µs
// against 21 µs with 4 columns. Widening pays when the widened product stays below that size,
// and for at least 256 rows: with 64 rows the 4-column product was no faster
// (BenchmarkNarrowProduct).
func narrowProductPays(m, k, n int) bool {
	wide := (n + 3) / 4 * 4
	return n != wide && m >= 256 && m*k*wide < 4<<20
}

// transposeAdjoint returns vᵀ [C, M] of an adjoint v [M, C]. The go backend's transpose writes
// the C rows of its output M floats apart; when M is a multiple of 256 those writes share a few
// cache sets and cost 8–10 ns per element (M = 64·32·32 in the paper model's discriminator)
// against 3–5 otherwise. For such M and C ≤ 256 (≤ 128 unless M is a multiple of 1024), the
// product I_C · vᵀ, which the backend's GEMM computes from v as stored (its "transposed" right
// operand), is 2–3× faster (BenchmarkTransposeAdjoint). It is exact for finite v: each output
// is one product by 1 plus zeros. An infinite entry makes its column NaN, in a gradient that is
// not finite anyway.
func transposeAdjoint(v *Node) *Node {
	m, c := v.Shape().Dimensions[0], v.Shape().Dimensions[1]
	if !(m%1024 == 0 && c <= 256 || m%256 == 0 && c <= 128) {
		return Transpose(v, 0, 1)
	}
	eye := make([]float32, c*c)
	for i := range c {
		eye[i*c+i] = 1
	}
	identity := Const(v.Graph(), tensors.FromFlatDataAndDimensions(eye, c, c))
	if v.DType() != identity.DType() {
		identity = ConvertDType(identity, v.DType())
	}
	return DotGeneral(identity, []int{1}, nil, v, []int{1}, nil)
}

// padSpatial zero-pads (or, for negative amounts, crops) the two spatial axes of x [N,H,W,C].
// The padding's gradient is a crop of the adjoint by cropSpatial (withGradients), not GoMLX's
// Slice: the go backend's Slice copies element by element, several times slower.
func padSpatial(x *Node, top, bottom, left, right int) *Node {
	if top < 0 || bottom < 0 || left < 0 || right < 0 {
		h, w := x.Shape().Dimensions[1], x.Shape().Dimensions[2]
		cropTop, cropLeft := max(-top, 0), max(-left, 0)
		x = cropSpatial(x, cropTop, cropLeft, h-cropTop-max(-bottom, 0), w-cropLeft-max(-right, 0))
		top, bottom, left, right = max(top, 0), max(bottom, 0), max(left, 0), max(right, 0)
	}
	if top == 0 && bottom == 0 && left == 0 && right == 0 {
		return x
	}
	h, w := x.Shape().Dimensions[1], x.Shape().Dimensions[2]
	return withGradients([]*Node{x},
		func(in []*Node) *Node {
			return Pad(in[0], ScalarZero(x.Graph(), x.DType()),
				compute.PadAxis{}, compute.PadAxis{Start: top, End: bottom}, compute.PadAxis{Start: left, End: right}, compute.PadAxis{})
		},
		func(_ []*Node, v *Node) *Node { return cropSpatial(v, top, left, h, w) })
}

// cropSpatial returns x[:, top:top+h, left:left+w, :] of x [N, H, W, C], as one GatherSlices of
// the N·h output rows, each w·C contiguous values that the backend copies as a block; GoMLX's
// Slice copies element by element on the go backend, 5–10× slower. Its gradient is the adjoint
// zero-padded back to x's size (padSpatial), not the automatic scatter-add.
func cropSpatial(x *Node, top, left, h, w int) *Node {
	n, hx, wx, c := x.Shape().Dimensions[0], x.Shape().Dimensions[1], x.Shape().Dimensions[2], x.Shape().Dimensions[3]
	if top < 0 || left < 0 || h <= 0 || w <= 0 || top+h > hx || left+w > wx {
		panic(fmt.Errorf("blocks.cropSpatial: rows %d…%d, columns %d…%d outside x %s", top, top+h-1, left, left+w-1, x.Shape()))
	}
	if top == 0 && left == 0 && h == hx && w == wx {
		return x
	}
	starts := make([]int32, 0, n*h*3)
	for b := range n {
		for i := range h {
			starts = append(starts, int32(b), int32(top+i), int32(left))
		}
	}
	start := Const(x.Graph(), tensors.FromFlatDataAndDimensions(starts, n, h, 3))
	return withGradients([]*Node{x},
		func(in []*Node) *Node {
			rows := GatherSlices(in[0], []int{0, 1, 2}, start, []int{1, 1, w}, true) // [N, h, 1, 1, w, C]
			return Reshape(rows, n, h, w, c)
		},
		func(_ []*Node, v *Node) *Node { return padSpatial(v, top, hx-top-h, left, wx-left-w) })
}

// Conv2DBuilder builds a 2-D convolution layer with its own kernel (and optional bias)
// variables. Create it with [Conv2D]; defaults: kernel 3×3, stride 1, [Same] padding,
// bias on, weights from the scope's initializer.
type Conv2DBuilder struct {
	scope    *model.Scope
	x        *Node
	channels int
	kernel   [2]int
	spec     ConvSpec
	bias     bool
	spectral bool
}

// Conv2D starts a convolution layer on x [N, H, W, Cin]; variables live in scope
// ("weights" [KH, KW, Cin, Cout], "biases" [Cout]). Set at least Channels, then call Done.
func Conv2D(scope *model.Scope, x *Node) *Conv2DBuilder {
	return &Conv2DBuilder{scope: scope, x: x, kernel: [2]int{3, 3}, spec: ConvSpec{Padding: Same}, bias: true}
}

// Channels sets the number of output channels (required).
func (b *Conv2DBuilder) Channels(c int) *Conv2DBuilder { b.channels = c; return b }

// KernelSize sets a square kernel.
func (b *Conv2DBuilder) KernelSize(k int) *Conv2DBuilder { b.kernel = [2]int{k, k}; return b }

// Strides sets the same stride on both axes.
func (b *Conv2DBuilder) Strides(s int) *Conv2DBuilder { b.spec.Strides = [2]int{s, s}; return b }

// Padding sets the padding (default [Same]).
func (b *Conv2DBuilder) Padding(p Padding) *Conv2DBuilder { b.spec.Padding = p; return b }

// UseBias turns the bias on or off (default on).
func (b *Conv2DBuilder) UseBias(use bool) *Conv2DBuilder { b.bias = use; return b }

// SpectralNorm divides the kernel by its largest singular value ([SpectralNormalize]; default
// off): the discriminator normalization of SN-GAN (Miyato et al. 2018).
func (b *Conv2DBuilder) SpectralNorm(on bool) *Conv2DBuilder { b.spectral = on; return b }

// Done creates the variables and returns y [N, Ho, Wo, Channels].
func (b *Conv2DBuilder) Done() *Node {
	return kernelLayer("Conv2D", b.scope, b.x, b.kernel, b.channels, b.bias, func(x, k *Node) *Node {
		if b.spectral {
			k = SpectralNormalize(b.scope, k)
		}
		return Conv(x, k, b.spec)
	})
}

// kernelLayer creates a layer's "weights" [KH, KW, Cin, channels] (and "biases" [channels]) in
// scope and applies op(x, weights) (+ biases): the shared body of Conv2D and ConvTranspose2D.
func kernelLayer(layer string, scope *model.Scope, x *Node, kernelSize [2]int, channels int, useBias bool, op func(x, kernel *Node) *Node) *Node {
	if channels <= 0 {
		panic(fmt.Errorf("blocks.%s in scope %q: Channels must be > 0, got %d", layer, scope.Scope(), channels))
	}
	cin := x.Shape().Dimensions[x.Rank()-1]
	kernel := scope.VariableWithShape("weights", shapeOf(x.DType(), kernelSize[0], kernelSize[1], cin, channels)).NodeValue(x.Graph())
	y := op(x, kernel)
	if useBias {
		bias := scope.VariableWithValue("biases", zeros(x.DType(), channels)).NodeValue(x.Graph())
		y = addChannels(y, bias)
	}
	return y
}

// addChannels adds v [C] to every pixel of y [N, H, W, C]. With fewer than 16 channels, v is
// first repeated along W and added to y as rows of W·C values: the go backend adds a short vector
// broadcast along the last axis value by value, 7× slower than whole rows (an RGB head at 64×64:
// 22 µs against 3).
func addChannels(y, v *Node) *Node {
	n, h, w, c := y.Shape().Dimensions[0], y.Shape().Dimensions[1], y.Shape().Dimensions[2], y.Shape().Dimensions[3]
	if c >= 16 {
		return Add(y, ExpandLeftToRank(v, 4))
	}
	row := Reshape(BroadcastToDims(Reshape(v, 1, 1, c), 1, w, c), 1, w*c)
	return Reshape(Add(Reshape(y, n*h, w*c), row), n, h, w, c)
}
