package blocks

import "fmt"

// Padding says how a convolution treats the image border. Its zero value is [Valid].
//
//   - [Same]: Keras/TF "same": output size ceil(in/stride); the total padding
//     max((out−1)·stride + kernel − in, 0) is split with the extra pixel at the bottom/right.
//   - [Valid]: no padding; output size floor((in − kernel)/stride) + 1.
//   - [Explicit](top, bottom, left, right) and [Symmetric](p): PyTorch's padding=p, given per side.
//
// For a transposed convolution the same names mean the padding of the forward convolution it is
// the transpose of (TF's conv2d_transpose semantics); see [ConvTransposeSpec].
type Padding struct {
	mode                     paddingMode
	top, bottom, left, right int
}

type paddingMode int

const (
	paddingValid paddingMode = iota
	paddingSame
	paddingExplicit
)

var (
	// Same is Keras/TF "same" padding.
	Same = Padding{mode: paddingSame}
	// Valid is no padding.
	Valid = Padding{mode: paddingValid}
)

// Explicit pads top, bottom, left and right by the given number of pixels.
func Explicit(top, bottom, left, right int) Padding {
	return Padding{mode: paddingExplicit, top: top, bottom: bottom, left: left, right: right}
}

// Symmetric pads every side by p pixels: PyTorch's padding=p.
func Symmetric(p int) Padding { return Explicit(p, p, p, p) }

func (p Padding) String() string {
	switch p.mode {
	case paddingSame:
		return "same"
	case paddingValid:
		return "valid"
	}
	return fmt.Sprintf("explicit(%d,%d,%d,%d)", p.top, p.bottom, p.left, p.right)
}

// amounts returns (lo, hi) padding for one spatial axis of a forward convolution with the given
// input size, kernel size and stride.
func (p Padding) amounts(axis, in, kernel, stride int) (lo, hi int) {
	switch p.mode {
	case paddingSame:
		out := (in + stride - 1) / stride
		total := max((out-1)*stride+kernel-in, 0)
		return total / 2, total - total/2
	case paddingExplicit:
		if axis == 0 {
			return p.top, p.bottom
		}
		return p.left, p.right
	}
	return 0, 0
}
