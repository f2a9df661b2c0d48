package blocks

import (
	"fmt"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/ml/model"
)

// ConvTransposeSpec configures a 2-D transposed convolution ("deconvolution", "fractionally
// strided convolution"), the up-sampling layer of DCGAN's generator. The zero value means
// stride 1, [Valid] padding, no output padding.
//
// Semantics: each input pixel (i, j) scatters kernel-weighted copies into the output,
//
//	y[n, i·sy − top + di, j·sx − left + dj, o] += x[n, i, j, c] · kernel[di, dj, c, o],
//
// which is exactly the gradient (transpose) of [Conv] with the same kernel, strides and padding.
// Output size, per axis, with input size H, kernel K, stride S:
//
//   - [Same] (Keras/TF Conv2DTranspose padding="same"): H·S, cropping (max(K−S,0))/2 at the top.
//   - [Valid] (TF "valid"): (H−1)·S + max(K, S).
//   - [Explicit]/[Symmetric](p) (PyTorch ConvTranspose2d padding=p): (H−1)·S − 2p + K + OutputPadding.
type ConvTransposeSpec struct {
	Strides       [2]int  // 0 means 1.
	Padding       Padding // default Valid.
	OutputPadding [2]int  // PyTorch's output_padding: extra rows/columns at the bottom/right; only with Explicit padding.
}

// ConvTransposeOutputSize returns (output size, top/left crop) along one axis.
func (s ConvTransposeSpec) outputSize(axis, in, kernel, stride int) (out, crop int) {
	switch s.Padding.mode {
	case paddingSame:
		return in * stride, max(kernel-stride, 0) / 2
	case paddingValid:
		return (in-1)*stride + max(kernel, stride), 0
	}
	lo, hi := s.Padding.amounts(axis, 0, 0, 0)
	return (in-1)*stride - lo - hi + kernel + s.OutputPadding[axis], lo
}

// ConvTranspose computes the transposed convolution of x [N, H, W, Cin] with kernel
// [KH, KW, Cin, Cout] (note: Cin first, as in [Conv]; TF stores [KH, KW, Cout, Cin] and PyTorch
// [Cin, Cout, KH, KW]), giving y [N, Ho, Wo, Cout] with the sizes documented on [ConvTransposeSpec].
//
// Formulation: the input is dilated (stride−1 zeros between pixels, Pad's interior padding),
// padded by K−1−crop on the top/left and to the output size on the bottom/right, and convolved
// with stride 1 by the spatially flipped kernel using [Conv] (im2col). Differentiable in x and
// kernel.
func ConvTranspose(x, kernel *Node, spec ConvTransposeSpec) *Node {
	if x.Rank() != 4 || kernel.Rank() != 4 {
		panic(fmt.Errorf("blocks.ConvTranspose: want x [N,H,W,C] and kernel [KH,KW,Cin,Cout], got %s and %s", x.Shape(), kernel.Shape()))
	}
	h, w, cin := x.Shape().Dimensions[1], x.Shape().Dimensions[2], x.Shape().Dimensions[3]
	kh, kw, kcin := kernel.Shape().Dimensions[0], kernel.Shape().Dimensions[1], kernel.Shape().Dimensions[2]
	if kcin != cin {
		panic(fmt.Errorf("blocks.ConvTranspose: x has %d channels but kernel expects %d (x %s, kernel %s)", cin, kcin, x.Shape(), kernel.Shape()))
	}
	if spec.Padding.mode != paddingExplicit && spec.OutputPadding != [2]int{} {
		panic(fmt.Errorf("blocks.ConvTranspose: OutputPadding %v needs Explicit/Symmetric padding, got %s", spec.OutputPadding, spec.Padding))
	}
	sy, sx := ConvSpec{Strides: spec.Strides}.strides()
	ho, cropTop := spec.outputSize(0, h, kh, sy)
	wo, cropLeft := spec.outputSize(1, w, kw, sx)
	if ho <= 0 || wo <= 0 {
		panic(fmt.Errorf("blocks.ConvTranspose: padding %s leaves no output (%dx%d)", spec.Padding, ho, wo))
	}

	// Dilate: (H−1)·S + 1 rows, input pixels at multiples of S.
	dilated := x
	if sy > 1 || sx > 1 {
		dilated = Pad(x, ScalarZero(x.Graph(), x.DType()),
			compute.PadAxis{}, compute.PadAxis{Interior: sy - 1}, compute.PadAxis{Interior: sx - 1}, compute.PadAxis{})
	}
	hd, wd := (h-1)*sy+1, (w-1)*sx+1
	top, left := kh-1-cropTop, kw-1-cropLeft
	// A stride-1 valid conv with K taps maps L rows to L−K+1: choose the bottom so that L−K+1 = Ho.
	bottom, right := ho+kh-1-hd-top, wo+kw-1-wd-left
	padded := padSpatial(dilated, top, bottom, left, right)
	flipped := Reverse(kernel, 0, 1)
	return Conv(padded, flipped, ConvSpec{})
}

// ConvTranspose2DBuilder builds a transposed-convolution layer with its own variables.
// Create it with [ConvTranspose2D]; defaults: kernel 3×3, stride 1, [Same] padding, bias on.
type ConvTranspose2DBuilder struct {
	scope    *model.Scope
	x        *Node
	channels int
	kernel   [2]int
	spec     ConvTransposeSpec
	bias     bool
}

// ConvTranspose2D starts a transposed convolution layer on x [N, H, W, Cin]; variables
// live in scope ("weights" [KH, KW, Cin, Cout], "biases" [Cout]).
func ConvTranspose2D(scope *model.Scope, x *Node) *ConvTranspose2DBuilder {
	return &ConvTranspose2DBuilder{scope: scope, x: x, kernel: [2]int{3, 3}, spec: ConvTransposeSpec{Padding: Same}, bias: true}
}

// Channels sets the number of output channels (required).
func (b *ConvTranspose2DBuilder) Channels(c int) *ConvTranspose2DBuilder {
	b.channels = c
	return b
}

// KernelSize sets a square kernel.
func (b *ConvTranspose2DBuilder) KernelSize(k int) *ConvTranspose2DBuilder {
	b.kernel = [2]int{k, k}
	return b
}

// Strides sets the same stride (the up-sampling factor) on both axes.
func (b *ConvTranspose2DBuilder) Strides(s int) *ConvTranspose2DBuilder {
	b.spec.Strides = [2]int{s, s}
	return b
}

// Padding sets the padding (default [Same]).
func (b *ConvTranspose2DBuilder) Padding(p Padding) *ConvTranspose2DBuilder {
	b.spec.Padding = p
	return b
}

// OutputPadding sets PyTorch's output_padding (both axes); needs Explicit/Symmetric padding.
func (b *ConvTranspose2DBuilder) OutputPadding(p int) *ConvTranspose2DBuilder {
	b.spec.OutputPadding = [2]int{p, p}
	return b
}

// UseBias turns the bias on or off (default on).
func (b *ConvTranspose2DBuilder) UseBias(use bool) *ConvTranspose2DBuilder {
	b.bias = use
	return b
}

// Done creates the variables and returns y [N, Ho, Wo, Channels].
func (b *ConvTranspose2DBuilder) Done() *Node {
	if b.channels <= 0 {
		panic(fmt.Errorf("blocks.ConvTranspose2D in scope %q: Channels must be > 0, got %d", b.scope.Scope(), b.channels))
	}
	cin := b.x.Shape().Dimensions[b.x.Rank()-1]
	kernel := b.scope.VariableWithShape("weights", shapeOf(b.x.DType(), b.kernel[0], b.kernel[1], cin, b.channels)).NodeValue(b.x.Graph())
	y := ConvTranspose(b.x, kernel, b.spec)
	if b.bias {
		bias := b.scope.VariableWithValue("biases", zeros(b.x.DType(), b.channels)).NodeValue(b.x.Graph())
		y = Add(y, ExpandLeftToRank(bias, 4))
	}
	return y
}
