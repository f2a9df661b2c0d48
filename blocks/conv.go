package blocks

import (
	"fmt"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX convention: graph ops read like math.
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
// It is formulated as im2col + one matrix multiplication inside the graph: the KH·KW strided
// slices of the padded input are concatenated on the channel axis into [N·Ho·Wo, KH·KW·Cin]
// patches and multiplied by the kernel reshaped to [KH·KW·Cin, Cout]. On the pure-Go backend
// this is several times faster than the native convolution (a plain loop), and every op used has
// a gradient, so Conv is differentiable with respect to x and kernel.
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

	var patches *Node
	if kh == 1 && kw == 1 && sy == 1 && sx == 1 {
		patches = xp
	} else {
		cols := make([]*Node, 0, kh*kw)
		for di := range kh {
			for dj := range kw {
				cols = append(cols, Slice(xp,
					AxisRange(),
					AxisRange(di, di+(ho-1)*sy+1).Stride(sy),
					AxisRange(dj, dj+(wo-1)*sx+1).Stride(sx),
					AxisRange()))
			}
		}
		patches = Concatenate(cols, -1) // [N, Ho, Wo, KH·KW·Cin], ordered (di, dj, c) like the kernel.
	}
	flat := Reshape(patches, n*ho*wo, kh*kw*cin)
	y := MatMul(flat, Reshape(kernel, kh*kw*cin, cout))
	return Reshape(y, n, ho, wo, cout)
}

// padSpatial zero-pads (or, for negative amounts, crops) the two spatial axes of x [N,H,W,C].
func padSpatial(x *Node, top, bottom, left, right int) *Node {
	if top < 0 || bottom < 0 || left < 0 || right < 0 {
		h, w := x.Shape().Dimensions[1], x.Shape().Dimensions[2]
		x = Slice(x, AxisRange(), AxisRange(max(-top, 0), h-max(-bottom, 0)), AxisRange(max(-left, 0), w-max(-right, 0)), AxisRange())
		top, bottom, left, right = max(top, 0), max(bottom, 0), max(left, 0), max(right, 0)
	}
	if top == 0 && bottom == 0 && left == 0 && right == 0 {
		return x
	}
	return Pad(x, ScalarZero(x.Graph(), x.DType()),
		compute.PadAxis{}, compute.PadAxis{Start: top, End: bottom}, compute.PadAxis{Start: left, End: right}, compute.PadAxis{})
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

// Done creates the variables and returns y [N, Ho, Wo, Channels].
func (b *Conv2DBuilder) Done() *Node {
	if b.channels <= 0 {
		panic(fmt.Errorf("blocks.Conv2D in scope %q: Channels must be > 0, got %d", b.scope.Scope(), b.channels))
	}
	cin := b.x.Shape().Dimensions[b.x.Rank()-1]
	kernel := b.scope.VariableWithShape("weights", shapeOf(b.x.DType(), b.kernel[0], b.kernel[1], cin, b.channels)).NodeValue(b.x.Graph())
	y := Conv(b.x, kernel, b.spec)
	if b.bias {
		bias := b.scope.VariableWithValue("biases", zeros(b.x.DType(), b.channels)).NodeValue(b.x.Graph())
		y = Add(y, ExpandLeftToRank(bias, 4))
	}
	return y
}
