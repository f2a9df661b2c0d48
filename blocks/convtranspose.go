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
// Formulation: with stride 1 it is [Conv] of the padded input with the spatially flipped
// kernel; with larger strides, the sub-pixel decomposition of convTransposeSubPixel (one im2col
// and one matrix product, no zero insertion). Differentiable in x and kernel.
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

	if sy == 1 && sx == 1 {
		// Stride 1: a plain convolution with the flipped kernel, padded by K−1−crop.
		top, left := kh-1-cropTop, kw-1-cropLeft
		padded := padSpatial(x, top, ho+kh-1-h-top, left, wo+kw-1-w-left)
		return Conv(padded, Reverse(kernel, 0, 1), ConvSpec{})
	}
	return convTransposeSubPixel(x, kernel, sy, sx, cropTop, cropLeft, ho, wo)
}

// convTransposeSubPixel computes a strided transposed convolution without inserting zeros
// ("sub-pixel" or phase decomposition; Shi et al. 2016). Along one axis, output o receives
// x[i]·K[t] for i·s − crop + t = o. Writing o + crop = q·s + r (phase r = (o+crop) mod s):
//
//	y[o] = Σ_d x[q − d] · K[d·s + r],   d = 0 … T−1,  T = ceil(K/s),
//
// a stride-1 correlation of x over a window of T pixels with a kernel that depends on the phase.
// All s² phases (in 2-D) come from one im2col of x with a T×T window and one matrix product with
// the combined kernel Kc[T, T, Cin, s, s, Cout]; the phases are then interleaved
// (depth-to-space) and cropped. This does ≈ T²s²/K² of the useful work (36/25 for K = 5, s = 2)
// instead of the s² (= 4) times of convolving a zero-dilated input.
func convTransposeSubPixel(x, kernel *Node, sy, sx, cropTop, cropLeft, ho, wo int) *Node {
	n, h, w, cin := x.Shape().Dimensions[0], x.Shape().Dimensions[1], x.Shape().Dimensions[2], x.Shape().Dimensions[3]
	kh, kw, cout := kernel.Shape().Dimensions[0], kernel.Shape().Dimensions[1], kernel.Shape().Dimensions[3]
	th, tw := (kh+sy-1)/sy, (kw+sx-1)/sx
	// Output rows o ∈ [0, Ho) need q = (o + crop) div s ∈ [qLo, qHi], and x rows q−T+1 … q.
	qLoH, qHiH := cropTop/sy, (ho-1+cropTop)/sy
	qLoW, qHiW := cropLeft/sx, (wo-1+cropLeft)/sx
	qh, qw := qHiH-qLoH+1, qHiW-qLoW+1
	top, bottom := th-1-qLoH, qHiH-(h-1)
	left, right := tw-1-qLoW, qHiW-(w-1)
	xp := padSpatial(x, top, bottom, left, right) // rows qLo−T+1 … qHi
	patches := im2col(xp, th, tw, 1, 1, qh, qw)   // [N·Qh·Qw, T_h·T_w·Cin], window index j ↔ d = T−1−j

	// Combined kernel: Kc[jh, jw, c, rh, rw, o] = K[(T_h−1−jh)·s_y + rh, (T_w−1−jw)·s_x + rw, c, o],
	// zero where the tap index reaches past the kernel.
	kp := Pad(kernel, ScalarZero(kernel.Graph(), kernel.DType()),
		compute.PadAxis{End: th*sy - kh}, compute.PadAxis{End: tw*sx - kw}, compute.PadAxis{}, compute.PadAxis{})
	kp = Reshape(kp, th, sy, tw, sx, cin, cout)
	kp = Reverse(kp, 0, 2)                      // d → j = T−1−d
	kp = TransposeAllAxes(kp, 0, 2, 4, 1, 3, 5) // [T_h, T_w, Cin, s_y, s_x, Cout]
	kc := Reshape(kp, th*tw*cin, sy*sx*cout)
	z := matmulByKernel(patches, kc) // [N·Qh·Qw, s_y·s_x·Cout]
	z = Reshape(z, n, qh, qw, sy, sx, cout)
	z = TransposeAllAxes(z, 0, 1, 3, 2, 4, 5) // [N, Qh, s_y, Qw, s_x, Cout]
	z = Reshape(z, n, qh*sy, qw*sx, cout)     // row (q − qLo)·s + r = o + crop − qLo·s
	offH, offW := cropTop-qLoH*sy, cropLeft-qLoW*sx
	return cropSpatial(z, offH, offW, ho, wo)
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
	return kernelLayer("ConvTranspose2D", b.scope, b.x, b.kernel, b.channels, b.bias, func(x, k *Node) *Node { return ConvTranspose(x, k, b.spec) })
}
