package blocks

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/support/exceptions"
)

// refConv is the direct definition of a strided, padded 2-D cross-correlation.
func refConv(x, k array, sy, sx, top, bottom, left, right int) array {
	n, h, w, cin := x.dims[0], x.dims[1], x.dims[2], x.dims[3]
	kh, kw, cout := k.dims[0], k.dims[1], k.dims[3]
	ho, wo := (h+top+bottom-kh)/sy+1, (w+left+right-kw)/sx+1
	y := array{dims: []int{n, ho, wo, cout}, data: make([]float64, n*ho*wo*cout)}
	for b := range n {
		for i := range ho {
			for j := range wo {
				for o := range cout {
					sum := 0.0
					for di := range kh {
						for dj := range kw {
							r, c := i*sy+di-top, j*sx+dj-left
							if r < 0 || r >= h || c < 0 || c >= w {
								continue
							}
							for ci := range cin {
								sum += x.at4(b, r, c, ci) * k.at4(di, dj, ci, o)
							}
						}
					}
					y.data[((b*ho+i)*wo+j)*cout+o] = sum
				}
			}
		}
	}
	return y
}

// refConvTranspose is the scatter definition: each input pixel adds a kernel-weighted patch.
func refConvTranspose(x, k array, sy, sx, cropTop, cropLeft, ho, wo int) array {
	n, h, w, cin := x.dims[0], x.dims[1], x.dims[2], x.dims[3]
	kh, kw, cout := k.dims[0], k.dims[1], k.dims[3]
	y := array{dims: []int{n, ho, wo, cout}, data: make([]float64, n*ho*wo*cout)}
	for b := range n {
		for i := range h {
			for j := range w {
				for di := range kh {
					for dj := range kw {
						r, c := i*sy-cropTop+di, j*sx-cropLeft+dj
						if r < 0 || r >= ho || c < 0 || c >= wo {
							continue
						}
						for ci := range cin {
							for o := range cout {
								y.data[((b*ho+r)*wo+c)*cout+o] += x.at4(b, i, j, ci) * k.at4(di, dj, ci, o)
							}
						}
					}
				}
			}
		}
	}
	return y
}

func TestConvMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cases := []struct {
		h, w, k, s int
		pad        Padding
		top, bot   int // expected padding on the vertical axis (horizontal is the same here)
	}{
		{7, 7, 3, 1, Same, 1, 1},
		{7, 7, 5, 2, Same, 2, 2},   // TF: out 4, total = 3·2+5−7 = 4
		{8, 8, 5, 2, Same, 1, 2},   // out 4, total 3: extra pixel at the bottom
		{28, 28, 5, 2, Same, 1, 2}, // the DCGAN tutorial's first D layer
		{6, 6, 3, 2, Valid, 0, 0},  // out 2
		{5, 5, 3, 2, Symmetric(1), 1, 1},
		{4, 4, 4, 2, Explicit(1, 1, 1, 1), 1, 1}, // DCGAN paper D layer (k4 s2 p1)
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("h%d_k%d_s%d_%s", c.h, c.k, c.s, c.pad), func(t *testing.T) {
			x := randArray(rng, 2, c.h, c.w, 3)
			k := randArray(rng, c.k, c.k, 3, 4)
			spec := ConvSpec{Strides: [2]int{c.s, c.s}, Padding: c.pad}
			got := run(t, func(in []*Node) *Node { return Conv(in[0], in[1], spec) }, x, k)
			want := refConv(x, k, c.s, c.s, c.top, c.bot, c.top, c.bot)
			assertClose(t, "Conv", got, want, 1e-12)
		})
	}
}

// TestConvWidenedProduct: a convolution to 3 channels over 256 pixels, whose product
// matmulByKernel computes with the kernel widened to 4 columns (narrowProductPays), agrees with
// the reference, gradients included.
func TestConvWidenedProduct(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	x, k := randArray(rng, 1, 16, 16, 2), randArray(rng, 3, 3, 2, 3)
	if !narrowProductPays(16*16, 3*3*2, 3) {
		t.Fatal("narrowProductPays(256, 18, 3) = false: this test no longer covers the widened product")
	}
	spec := ConvSpec{Padding: Same}
	got := run(t, func(in []*Node) *Node { return Conv(in[0], in[1], spec) }, x, k)
	assertClose(t, "Conv", got, refConv(x, k, 1, 1, 1, 1, 1, 1), 1e-12)
	checkGradients(t, "Conv widened", func(in []*Node) *Node { return Conv(in[0], in[1], spec) }, x, k)
}

// TestAddChannels: the bias of a layer with few channels, added as rows, equals the plain
// broadcast sum, gradients included.
func TestAddChannels(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, c := range []int{3, 16} {
		y, v := randArray(rng, 2, 3, 5, c), randArray(rng, c)
		got := run(t, func(in []*Node) *Node { return addChannels(in[0], in[1]) }, y, v)
		want := run(t, func(in []*Node) *Node { return Add(in[0], ExpandLeftToRank(in[1], 4)) }, y, v)
		assertClose(t, fmt.Sprintf("addChannels, %d channels", c), got, want, 0)
		checkGradients(t, fmt.Sprintf("addChannels, %d channels", c), func(in []*Node) *Node { return addChannels(in[0], in[1]) }, y, v)
	}
}

func TestConvTransposeMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	cases := []struct {
		name          string
		h, k, s       int
		spec          ConvTransposeSpec
		crop, outSize int
	}{
		{"tf_same_k5_s1", 7, 5, 1, ConvTransposeSpec{Padding: Same}, 2, 7},
		{"tf_same_k5_s2", 7, 5, 2, ConvTransposeSpec{Strides: [2]int{2, 2}, Padding: Same}, 1, 14}, // DCGAN tutorial 7→14
		{"tf_same_k4_s2", 4, 4, 2, ConvTransposeSpec{Strides: [2]int{2, 2}, Padding: Same}, 1, 8},
		{"tf_valid_k3_s2", 3, 3, 2, ConvTransposeSpec{Strides: [2]int{2, 2}}, 0, 7},
		{"torch_p1_k4_s2", 4, 4, 2, ConvTransposeSpec{Strides: [2]int{2, 2}, Padding: Symmetric(1)}, 1, 8}, // DCGAN paper G
		{"torch_p1_op1_k3_s2", 4, 3, 2, ConvTransposeSpec{Strides: [2]int{2, 2}, Padding: Symmetric(1), OutputPadding: [2]int{1, 1}}, 1, 8},
		{"torch_p0_k4_s1", 1, 4, 1, ConvTransposeSpec{}, 0, 4}, // DCGAN paper projection 1→4
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := randArray(rng, 2, c.h, c.h, 3)
			k := randArray(rng, c.k, c.k, 3, 2)
			got := run(t, func(in []*Node) *Node { return ConvTranspose(in[0], in[1], c.spec) }, x, k)
			want := refConvTranspose(x, k, c.s, c.s, c.crop, c.crop, c.outSize, c.outSize)
			assertClose(t, "ConvTranspose", got, want, 1e-12)
		})
	}
}

// TestConvTransposeIsGradientOfConv checks the defining property: for the same kernel, strides
// and padding, <ConvTranspose(y), x> = <y, Conv(x)> for all x, y.
func TestConvTransposeIsGradientOfConv(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	x := randArray(rng, 2, 8, 8, 3)
	k := randArray(rng, 5, 5, 3, 4)
	y := randArray(rng, 2, 4, 4, 4)
	spec := ConvSpec{Strides: [2]int{2, 2}, Padding: Same}
	tspec := ConvTransposeSpec{Strides: [2]int{2, 2}, Padding: Same}
	lhs := run(t, func(in []*Node) *Node {
		return ReduceAllSum(Mul(Conv(in[0], in[1], spec), in[2]))
	}, x, k, y)
	rhs := run(t, func(in []*Node) *Node {
		kt := Transpose(in[1], 2, 3) // [KH,KW,Cout,Cin]: transposing maps Cout back to Cin.
		return ReduceAllSum(Mul(ConvTranspose(in[2], kt, tspec), in[0]))
	}, x, k, y)
	assertClose(t, "<Conv x, y> vs <x, ConvT y>", lhs, rhs, 1e-9)
}

func TestConvGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	x := randArray(rng, 2, 6, 6, 2)
	k := randArray(rng, 3, 3, 2, 3)
	for _, pad := range []Padding{Same, Valid, Symmetric(1)} {
		spec := ConvSpec{Strides: [2]int{2, 2}, Padding: pad}
		checkGradients(t, "Conv "+pad.String(), func(in []*Node) *Node { return Conv(in[0], in[1], spec) }, x, k)
	}
	// Odd sizes, a 5×5 kernel, strides 1 and 2, and a 4×4 kernel at stride 2 (the DCGAN models'
	// layers): the input's gradient is a transposed convolution whose crop and size must match.
	x7, k5, k4 := randArray(rng, 1, 7, 5, 2), randArray(rng, 5, 5, 2, 3), randArray(rng, 4, 4, 2, 3)
	for _, c := range []struct {
		k      array
		stride int
		pad    Padding
	}{{k5, 1, Same}, {k5, 2, Same}, {k5, 2, Valid}, {k4, 2, Symmetric(1)}, {k4, 2, Explicit(2, 0, 1, 3)}} {
		spec := ConvSpec{Strides: [2]int{c.stride, c.stride}, Padding: c.pad}
		name := fmt.Sprintf("Conv %dx%d stride %d %s", c.k.dims[0], c.k.dims[1], c.stride, c.pad)
		checkGradients(t, name, func(in []*Node) *Node { return Conv(in[0], in[1], spec) }, x7, c.k)
	}
}

func TestConvTransposeGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	x := randArray(rng, 2, 3, 3, 2)
	k := randArray(rng, 4, 4, 2, 3)
	for _, spec := range []ConvTransposeSpec{
		{Strides: [2]int{2, 2}, Padding: Same},
		{Strides: [2]int{2, 2}, Padding: Symmetric(1)},
		{Strides: [2]int{1, 1}, Padding: Valid},
	} {
		checkGradients(t, "ConvTranspose "+spec.Padding.String(), func(in []*Node) *Node { return ConvTranspose(in[0], in[1], spec) }, x, k)
	}
	x4, k5 := randArray(rng, 1, 4, 3, 2), randArray(rng, 5, 5, 2, 3)
	for _, spec := range []ConvTransposeSpec{
		{Strides: [2]int{2, 2}, Padding: Same},
		{Strides: [2]int{2, 2}, Padding: Valid},
		{Strides: [2]int{2, 2}, Padding: Symmetric(2), OutputPadding: [2]int{1, 0}},
		{Strides: [2]int{3, 3}, Padding: Explicit(1, 2, 0, 1)},
		{Strides: [2]int{1, 1}, Padding: Same},
	} {
		name := fmt.Sprintf("ConvTranspose 5x5 stride %d %s", spec.Strides[0], spec.Padding)
		checkGradients(t, name, func(in []*Node) *Node { return ConvTranspose(in[0], in[1], spec) }, x4, k5)
	}
}

func TestConvRejectsChannelMismatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	err := exceptions.Try(func() {
		run(t, func(in []*Node) *Node { return Conv(in[0], in[1], ConvSpec{}) }, randArray(rng, 1, 4, 4, 3), randArray(rng, 3, 3, 2, 1))
	})
	if err == nil {
		t.Fatal("Conv accepted a kernel with the wrong number of input channels")
	}
}

// TestMatmulByKernelGradients compares matmulByKernel's hand-written gradients with the automatic
// gradients of the plain product, for two losses differentiated in one graph (as the
// simultaneous GAN step does) and an output used twice (its adjoint is a sum).
func TestMatmulByKernelGradients(t *testing.T) {
	for _, m := range []int{24, 256} { // the adjoint's transpose as Transpose, and as a product
		testMatmulByKernelGradients(t, m)
	}
}

func testMatmulByKernelGradients(t *testing.T, m int) {
	rng := rand.New(rand.NewPCG(3, 5))
	p, k, w := randArray(rng, m, 10), randArray(rng, 10, 6), randArray(rng, m, 6)
	losses := func(product func(p, k *Node) *Node, in []*Node) []*Node {
		y := product(in[0], in[1])
		weighted := ReduceAllSum(Mul(y, in[2]))
		squared := Add(ReduceAllSum(Square(y)), ReduceAllSum(Mul(y, Tanh(y))))
		return append(Gradient(weighted, in[0], in[1]), Gradient(squared, in[0], in[1])...)
	}
	plain := func(p, k *Node) *Node { return DotGeneral(p, []int{1}, nil, k, []int{0}, nil) }
	args := []any{p.tensor(), k.tensor(), w.tensor()}
	want := MustNewExec(testBackend, func(in []*Node) []*Node { return losses(plain, in) }).MustExec(args...)
	got := MustNewExec(testBackend, func(in []*Node) []*Node { return losses(matmulByKernel, in) }).MustExec(args...)
	names := []string{"∂weighted/∂patches", "∂weighted/∂kernel", "∂squared/∂patches", "∂squared/∂kernel"}
	for i, name := range names {
		assertClose(t, fmt.Sprintf("M = %d: %s against the plain product's", m, name), arrayOf(got[i]), arrayOf(want[i]), 1e-12)
	}
}

// TestTransposeAdjoint: both of transposeAdjoint's ways, the backend's transpose and the product
// by an identity, give exactly vᵀ, in float64 and float32.
func TestTransposeAdjoint(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	for _, dims := range [][2]int{{300, 6}, {256, 6}, {1024, 200}, {512, 300}} {
		v := randArray(rng, dims[0], dims[1])
		want := run(t, func(in []*Node) *Node { return Transpose(in[0], 0, 1) }, v)
		assertClose(t, fmt.Sprintf("transposeAdjoint of %v", dims), run(t, func(in []*Node) *Node { return transposeAdjoint(in[0]) }, v), want, 0)
		in32 := func(transpose func(*Node) *Node) func([]*Node) *Node {
			return func(in []*Node) *Node {
				return ConvertDType(transpose(ConvertDType(in[0], dtypes.Float32)), dtypes.Float64)
			}
		}
		assertClose(t, fmt.Sprintf("transposeAdjoint of %v in float32", dims), run(t, in32(transposeAdjoint), v),
			run(t, in32(func(x *Node) *Node { return Transpose(x, 0, 1) }), v), 0)
	}
}

// TestPadAndCropSpatial checks padSpatial and cropSpatial, and their hand-written gradients,
// against Pad and Slice and finite differences.
func TestPadAndCropSpatial(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	x := randArray(rng, 2, 5, 4, 3)
	for _, p := range [][4]int{{1, 2, 0, 1}, {-1, 2, 1, -2}, {0, 0, -1, 0}} {
		top, bottom, left, right := p[0], p[1], p[2], p[3]
		want := run(t, func(in []*Node) *Node {
			y := Slice(in[0], AxisRange(), AxisRange(max(-top, 0), 5-max(-bottom, 0)), AxisRange(max(-left, 0), 4-max(-right, 0)), AxisRange())
			return Pad(y, ScalarZero(y.Graph(), y.DType()), compute.PadAxis{}, compute.PadAxis{Start: max(top, 0), End: max(bottom, 0)},
				compute.PadAxis{Start: max(left, 0), End: max(right, 0)}, compute.PadAxis{})
		}, x)
		pad := func(in []*Node) *Node { return padSpatial(in[0], top, bottom, left, right) }
		assertClose(t, fmt.Sprintf("padSpatial%v", p), run(t, pad, x), want, 0)
		checkGradients(t, fmt.Sprintf("padSpatial%v", p), pad, x)
	}
	crop := func(in []*Node) *Node { return cropSpatial(in[0], 1, 2, 3, 2) }
	assertClose(t, "cropSpatial", run(t, crop, x), run(t, func(in []*Node) *Node {
		return Slice(in[0], AxisRange(), AxisRange(1, 4), AxisRange(2, 4), AxisRange())
	}, x), 0)
	checkGradients(t, "cropSpatial", crop, x)
}
