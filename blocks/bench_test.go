package blocks

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"
)

// Benchmarks of each building block, forward + backward (gradients w.r.t. input and kernel), at
// the sizes of the TF DCGAN tutorial model with batch 64, next to the formulations they replaced
// (convSlices: KH·KW strided Slices + Concatenate; convTransposeDilated: zero insertion + Conv),
// so that `go test -bench . ./blocks` shows what each change bought. See docs/performance.md.

// convSlices is the first im2col formulation: KH·KW strided slices concatenated on channels.
func convSlices(x, kernel *Node, spec ConvSpec) *Node {
	n, h, w, cin := x.Shape().Dimensions[0], x.Shape().Dimensions[1], x.Shape().Dimensions[2], x.Shape().Dimensions[3]
	kh, kw, cout := kernel.Shape().Dimensions[0], kernel.Shape().Dimensions[1], kernel.Shape().Dimensions[3]
	sy, sx := spec.strides()
	top, bottom := spec.Padding.amounts(0, h, kh, sy)
	left, right := spec.Padding.amounts(1, w, kw, sx)
	xp := padSpatial(x, top, bottom, left, right)
	ho, wo := ConvOutputSize(h, kh, sy, top, bottom), ConvOutputSize(w, kw, sx, left, right)
	cols := make([]*Node, 0, kh*kw)
	for di := range kh {
		for dj := range kw {
			cols = append(cols, Slice(xp, AxisRange(), AxisRange(di, di+(ho-1)*sy+1).Stride(sy), AxisRange(dj, dj+(wo-1)*sx+1).Stride(sx), AxisRange()))
		}
	}
	y := MatMul(Reshape(Concatenate(cols, -1), n*ho*wo, kh*kw*cin), Reshape(kernel, kh*kw*cin, cout))
	return Reshape(y, n, ho, wo, cout)
}

// convTransposeDilated is the first transposed-convolution formulation: insert stride−1 zeros
// between input pixels, pad, and convolve with the flipped kernel (4× the work for stride 2).
func convTransposeDilated(x, kernel *Node, spec ConvTransposeSpec, conv func(x, k *Node, s ConvSpec) *Node) *Node {
	h, w := x.Shape().Dimensions[1], x.Shape().Dimensions[2]
	kh, kw := kernel.Shape().Dimensions[0], kernel.Shape().Dimensions[1]
	sy, sx := ConvSpec{Strides: spec.Strides}.strides()
	ho, cropTop := spec.outputSize(0, h, kh, sy)
	wo, cropLeft := spec.outputSize(1, w, kw, sx)
	dilated := Pad(x, ScalarZero(x.Graph(), x.DType()), compute.PadAxis{}, compute.PadAxis{Interior: sy - 1}, compute.PadAxis{Interior: sx - 1}, compute.PadAxis{})
	hd, wd := (h-1)*sy+1, (w-1)*sx+1
	top, left := kh-1-cropTop, kw-1-cropLeft
	padded := padSpatial(dilated, top, ho+kh-1-hd-top, left, wo+kw-1-wd-left)
	return conv(padded, Reverse(kernel, 0, 1), ConvSpec{})
}

// TestReplacedFormulationsAgree keeps the benchmark baselines honest: they compute the same
// function as the blocks they were replaced by.
func TestReplacedFormulationsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	x, k := randArray(rng, 2, 7, 7, 3), randArray(rng, 5, 5, 3, 4)
	spec := ConvSpec{Strides: [2]int{2, 2}, Padding: Same}
	a := run(t, func(in []*Node) *Node { return Conv(in[0], in[1], spec) }, x, k)
	b := run(t, func(in []*Node) *Node { return convSlices(in[0], in[1], spec) }, x, k)
	assertClose(t, "convSlices", b, a, 1e-12)
	tspec := ConvTransposeSpec{Strides: [2]int{2, 2}, Padding: Same}
	a = run(t, func(in []*Node) *Node { return ConvTranspose(in[0], in[1], tspec) }, x, k)
	b = run(t, func(in []*Node) *Node { return convTransposeDilated(in[0], in[1], tspec, Conv) }, x, k)
	assertClose(t, "convTransposeDilated", b, a, 1e-12)
}

func randTensor(rng *rand.Rand, dims ...int) *tensors.Tensor {
	size := 1
	for _, d := range dims {
		size *= d
	}
	data := make([]float32, size)
	for i := range data {
		data[i] = float32(rng.NormFloat64())
	}
	return tensors.FromFlatDataAndDimensions(data, dims...)
}

// benchForwardBackward times y = op(x, k) and the gradients of Σ y·r w.r.t. x and k.
func benchForwardBackward(b *testing.B, op func(x, k *Node) *Node, xDims, kDims []int) {
	rng := rand.New(rand.NewPCG(1, 2))
	x, k := randTensor(rng, xDims...), randTensor(rng, kDims...)
	exec := MustNewExec(testBackend, func(x, k *Node) []*Node {
		y := op(x, k)
		loss := ReduceAllSum(Mul(y, OnesLike(y)))
		return Gradient(loss, x, k)
	})
	for _, t := range exec.MustExec(x, k) { // compile and warm up
		t.FinalizeAll()
	}
	b.ResetTimer()
	for range b.N {
		for _, t := range exec.MustExec(x, k) {
			t.FinalizeAll()
		}
	}
}

type convCase struct {
	name       string
	xDims      []int
	kDims      []int
	stride     int
	transposed bool
}

// dcganLayers are the TF DCGAN tutorial's convolutions at batch 64.
var dcganLayers = []convCase{
	{"D.conv1_28x28x1_to_14x14x64", []int{64, 28, 28, 1}, []int{5, 5, 1, 64}, 2, false},
	{"D.conv2_14x14x64_to_7x7x128", []int{64, 14, 14, 64}, []int{5, 5, 64, 128}, 2, false},
	{"G.deconv1_7x7x256_to_7x7x128", []int{64, 7, 7, 256}, []int{5, 5, 256, 128}, 1, true},
	{"G.deconv2_7x7x128_to_14x14x64", []int{64, 7, 7, 128}, []int{5, 5, 128, 64}, 2, true},
	{"G.deconv3_14x14x64_to_28x28x1", []int{64, 14, 14, 64}, []int{5, 5, 64, 1}, 2, true},
}

func BenchmarkDCGANConvolutions(b *testing.B) {
	for _, c := range dcganLayers {
		s := [2]int{c.stride, c.stride}
		variants := map[string]func(x, k *Node) *Node{}
		if c.transposed {
			spec := ConvTransposeSpec{Strides: s, Padding: Same}
			variants["blocks"] = func(x, k *Node) *Node { return ConvTranspose(x, k, spec) }
			variants["dilated+slices"] = func(x, k *Node) *Node { return convTransposeDilated(x, k, spec, convSlices) }
		} else {
			spec := ConvSpec{Strides: s, Padding: Same}
			variants["blocks"] = func(x, k *Node) *Node { return Conv(x, k, spec) }
			variants["slices"] = func(x, k *Node) *Node { return convSlices(x, k, spec) }
		}
		for _, name := range []string{"blocks", "slices", "dilated+slices"} {
			if op, ok := variants[name]; ok {
				b.Run(fmt.Sprintf("%s/%s", c.name, name), func(b *testing.B) { benchForwardBackward(b, op, c.xDims, c.kDims) })
			}
		}
	}
}

func BenchmarkBatchNormTrain(b *testing.B) {
	benchForwardBackward(b, func(x, gamma *Node) *Node {
		y, _, _ := BatchNormTrain(x, gamma, nil, 1e-5)
		return y
	}, []int{64, 14, 14, 64}, []int{64})
}

func BenchmarkSampleBilinear(b *testing.B) {
	benchForwardBackward(b, func(img, flow *Node) *Node { return Warp(img, flow) }, []int{8, 64, 64, 3}, []int{8, 64, 64, 2})
}

// BenchmarkTransposeAdjoint times the transpose of adjoints [M, C] of the paper model's layers
// at batch 64, as the backend's Transpose and as transposeAdjoint (ns/elt: per element of v).
func BenchmarkTransposeAdjoint(b *testing.B) {
	for _, dims := range [][2]int{{65536, 64}, {16384, 128}, {16384, 256}, {4096, 256}, {4096, 512}, {12544, 64}, {3136, 128}} {
		v := randTensor(rand.New(rand.NewPCG(1, 2)), dims[0], dims[1])
		for name, transpose := range map[string]func(*Node) *Node{
			"Transpose":        func(v *Node) *Node { return Transpose(v, 0, 1) },
			"transposeAdjoint": transposeAdjoint,
		} {
			b.Run(fmt.Sprintf("%s_%dx%d", name, dims[0], dims[1]), func(b *testing.B) {
				exec := MustNewExec(testBackend, transpose)
				exec.MustExec(v)[0].FinalizeAll()
				b.ResetTimer()
				for range b.N {
					exec.MustExec(v)[0].FinalizeAll()
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*dims[0]*dims[1]), "ns/elt")
			})
		}
	}
}

// BenchmarkBatchNormLeakyReLU times batch norm (training mode) then LeakyReLU, forward and the
// gradients w.r.t. x, γ and β, at the sizes of the paper model's and the tutorial's layers
// (ns/elt: per element of x).
func BenchmarkBatchNormLeakyReLU(b *testing.B) {
	for _, dims := range [][]int{{64, 7, 7, 256}, {64, 14, 14, 64}, {64, 32, 32, 64}} {
		rng := rand.New(rand.NewPCG(1, 2))
		x, r, gamma, beta := randTensor(rng, dims...), randTensor(rng, dims...), randTensor(rng, dims[3]), randTensor(rng, dims[3])
		b.Run(fmt.Sprint(dims), func(b *testing.B) {
			exec := MustNewExec(testBackend, func(x, r, gamma, beta *Node) []*Node {
				y, _, _ := BatchNormTrain(x, gamma, beta, 1e-3)
				return Gradient(ReduceAllSum(Mul(LeakyReLU(y, 0.2), r)), x, gamma, beta)
			})
			for _, t := range exec.MustExec(x, r, gamma, beta) { // compile and warm up
				t.FinalizeAll()
			}
			b.ResetTimer()
			for range b.N {
				for _, t := range exec.MustExec(x, r, gamma, beta) {
					t.FinalizeAll()
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*x.Shape().Size()), "ns/elt")
		})
	}
}

// BenchmarkNarrowProduct times [M, K]·[K, N] products with N not a multiple of 4, as they are
// and with the right operand widened by zero columns to a multiple of 4 (then cut back): the
// measurements behind narrowProductPays. Shapes: the bi-layer avatar's heads at batch 1, the
// baseline's RGB head, discriminator logits.
func BenchmarkNarrowProduct(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, d := range [][3]int{{1024, 288, 3}, {256, 3136, 1}, {16384, 27, 3}, {64, 8192, 1}, {1024, 1152, 1}, {4096, 576, 3}} {
		m, k, n := d[0], d[1], d[2]
		x, kernel := randTensor(rng, m, k), randTensor(rng, k, n)
		for _, widen := range []bool{false, true} {
			b.Run(fmt.Sprintf("%dx%dx%d_widened=%v_pays=%v", m, k, n, widen, narrowProductPays(m, k, n)), func(b *testing.B) {
				exec := MustNewExec(testBackend, func(x, kernel *Node) *Node {
					if widen {
						kernel = Pad(kernel, ScalarZero(kernel.Graph(), kernel.DType()), compute.PadAxis{}, compute.PadAxis{End: (n+3)/4*4 - n})
						return Slice(DotGeneral(x, []int{1}, nil, kernel, []int{0}, nil), AxisRange(), AxisRange(0, n))
					}
					return DotGeneral(x, []int{1}, nil, kernel, []int{0}, nil)
				})
				exec.MustExec(x, kernel)[0].FinalizeAll()
				for b.Loop() {
					exec.MustExec(x, kernel)[0].FinalizeAll()
				}
			})
		}
	}
}
