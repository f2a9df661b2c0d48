package blocks

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

func refBatchNorm(x, gamma, beta array, eps float64) array {
	c := x.dims[len(x.dims)-1]
	rows := len(x.data) / c
	y := array{dims: x.dims, data: make([]float64, len(x.data))}
	for ch := range c {
		mean, sq := 0.0, 0.0
		for r := range rows {
			mean += x.data[r*c+ch]
		}
		mean /= float64(rows)
		for r := range rows {
			d := x.data[r*c+ch] - mean
			sq += d * d
		}
		std := math.Sqrt(sq/float64(rows) + eps)
		for r := range rows {
			y.data[r*c+ch] = gamma.data[ch]*(x.data[r*c+ch]-mean)/std + beta.data[ch]
		}
	}
	return y
}

func TestBatchNormTrainMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	x := randArray(rng, 4, 3, 3, 5)
	gamma, beta := randArray(rng, 5), randArray(rng, 5)
	got := run(t, func(in []*Node) *Node { y, _, _ := BatchNormTrain(in[0], in[1], in[2], 1e-3); return y }, x, gamma, beta)
	assertClose(t, "BatchNormTrain", got, refBatchNorm(x, gamma, beta, 1e-3), 1e-12)
}

// The full gradient passes through the batch mean and variance: with γ = 1, β = 0 and the
// output weighted by a constant, the gradient w.r.t. x would be nonzero if the statistics were
// treated as constants; the finite-difference check catches any missing term.
func TestBatchNormGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	x := randArray(rng, 3, 2, 2, 3)
	gamma, beta := randArray(rng, 3), randArray(rng, 3)
	checkGradients(t, "BatchNormTrain", func(in []*Node) *Node { y, _, _ := BatchNormTrain(in[0], in[1], in[2], 1e-3); return y }, x, gamma, beta)
	mean, variance := randArray(rng, 3), randArray(rng, 3)
	for i := range variance.data {
		variance.data[i] = math.Abs(variance.data[i]) + 0.5
	}
	checkGradients(t, "BatchNormInference", func(in []*Node) *Node {
		return BatchNormInference(in[0], in[1], in[2], in[3], in[4], 1e-3)
	}, x, gamma, beta, mean, variance)
}

// batchNormAutomatic is BatchNormTrain's y with GoMLX's automatic gradient: the reference of
// TestBatchNormGradientsMatchAutomatic.
func batchNormAutomatic(x, gamma, beta *Node, epsilon float64) *Node {
	mean := ReduceMean(x, nonChannelAxes(x)...)
	centered := Sub(x, ExpandLeftToRank(mean, x.Rank()))
	variance := ReduceMean(Square(centered), nonChannelAxes(x)...)
	return BatchNormInference(x, gamma, beta, mean, variance, epsilon)
}

// TestBatchNormGradientsMatchAutomatic compares BatchNormTrain's and LeakyReLU's hand-written
// gradients with the automatic ones, with and without γ and β, for two losses differentiated in
// one graph (as the simultaneous GAN step does).
func TestBatchNormGradientsMatchAutomatic(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	x, gamma, beta, w := randArray(rng, 4, 3, 2, 5), randArray(rng, 5), randArray(rng, 5), randArray(rng, 4, 3, 2, 5)
	for _, affine := range [][2]bool{{true, true}, {false, false}, {false, true}, {true, false}} {
		losses := func(norm func(x, gamma, beta *Node) *Node, relu func(x *Node) *Node, in []*Node) []*Node {
			var gamma, beta *Node
			if affine[0] {
				gamma = in[1]
			}
			if affine[1] {
				beta = in[2]
			}
			y := relu(norm(in[0], gamma, beta))
			weighted := ReduceAllSum(Mul(y, in[3]))
			squared := Add(ReduceAllSum(Square(y)), ReduceAllSum(Mul(y, Tanh(y))))
			return append(Gradient(weighted, in[0], in[1], in[2]), Gradient(squared, in[0], in[1], in[2])...)
		}
		args := []any{x.tensor(), gamma.tensor(), beta.tensor(), w.tensor()}
		want := MustNewExec(testBackend, func(in []*Node) []*Node {
			return losses(func(x, g, b *Node) *Node { return batchNormAutomatic(x, g, b, 1e-3) },
				func(x *Node) *Node { return Where(GreaterOrEqual(x, ZerosLike(x)), x, MulScalar(x, 0.2)) }, in)
		}).MustExec(args...)
		got := MustNewExec(testBackend, func(in []*Node) []*Node {
			return losses(func(x, g, b *Node) *Node { y, _, _ := BatchNormTrain(x, g, b, 1e-3); return y },
				func(x *Node) *Node { return LeakyReLU(x, 0.2) }, in)
		}).MustExec(args...)
		for i, name := range []string{"∂weighted/∂x", "∂weighted/∂γ", "∂weighted/∂β", "∂squared/∂x", "∂squared/∂γ", "∂squared/∂β"} {
			assertClose(t, fmt.Sprintf("γ, β used %v: %s", affine, name), arrayOf(got[i]), arrayOf(want[i]), 1e-10)
		}
	}
}

// TestBatchNormModes checks the layer's two modes: training normalizes with the batch's own
// statistics and moves the moving averages by (1 − momentum); inference uses the moving
// averages and changes nothing; a fresh inference Exec sees the updated averages.
func TestBatchNormModes(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	x := randArray(rng, 8, 4)
	for i := range x.data {
		x.data[i] = 3 + 2*x.data[i] // mean ≈ 3, variance ≈ 4: far from the initial (0, 1)
	}
	store := model.NewStore()
	layer := func(training bool) func(scope *model.Scope, x *Node) *Node {
		return func(scope *model.Scope, x *Node) *Node {
			scope.SetTraining(x.Graph(), training)
			return BatchNorm(scope.In("bn"), x).Momentum(0.9).Done()
		}
	}
	train := model.MustNewExec(testBackend, store, layer(true))
	yTrain := tensors.MustCopyFlatData[float64](train.MustExec(x.tensor())[0])
	ones, zeros := array{dims: []int{4}, data: []float64{1, 1, 1, 1}}, array{dims: []int{4}, data: make([]float64, 4)}
	assertClose(t, "training output", array{dims: x.dims, data: yTrain}, refBatchNorm(x, ones, zeros, 1e-3), 1e-12)

	movingMean := tensors.MustCopyFlatData[float64](store.GetVariable("/bn/moving_mean").MustValue())
	movingVar := tensors.MustCopyFlatData[float64](store.GetVariable("/bn/moving_variance").MustValue())
	for ch := range 4 {
		mean, sq := 0.0, 0.0
		for r := range 8 {
			mean += x.data[r*4+ch] / 8
		}
		for r := range 8 {
			sq += (x.data[r*4+ch] - mean) * (x.data[r*4+ch] - mean) / 8
		}
		if math.Abs(movingMean[ch]-0.1*mean) > 1e-12 || math.Abs(movingVar[ch]-(0.9+0.1*sq)) > 1e-12 {
			t.Fatalf("channel %d: moving (mean, var) = (%g, %g), want (%g, %g)", ch, movingMean[ch], movingVar[ch], 0.1*mean, 0.9+0.1*sq)
		}
	}

	infer := NewInferenceExec(testBackend, store, layer(false))
	yInfer := tensors.MustCopyFlatData[float64](infer.MustCall(x.tensor())[0])
	for i, v := range yInfer {
		ch := i % 4
		want := (x.data[i] - movingMean[ch]) / math.Sqrt(movingVar[ch]+1e-3)
		if math.Abs(v-want) > 1e-12 {
			t.Fatalf("inference output %d = %g, want %g (moving statistics)", i, v, want)
		}
	}
	after := tensors.MustCopyFlatData[float64](store.GetVariable("/bn/moving_mean").MustValue())
	for ch := range 4 {
		if after[ch] != movingMean[ch] {
			t.Fatal("inference changed the moving mean")
		}
	}
	// A second training step moves the averages again, and the inference Exec must see it.
	train.MustExec(x.tensor())
	yInfer2 := tensors.MustCopyFlatData[float64](infer.MustCall(x.tensor())[0])
	if yInfer2[0] == yInfer[0] {
		t.Fatal("inference Exec did not see the moving averages updated by training (stale variables)")
	}
}

func TestLeakyReLU(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	x := randArray(rng, 3, 7)
	for _, slope := range []float64{0.2, 0, 1.5} { // max(x, slope·x) for slopes in [0, 1]; Where beyond
		got := run(t, func(in []*Node) *Node { return LeakyReLU(in[0], slope) }, x)
		want := array{dims: x.dims, data: make([]float64, len(x.data))}
		for i, v := range x.data {
			want.data[i] = v
			if v < 0 {
				want.data[i] = slope * v
			}
		}
		assertClose(t, fmt.Sprintf("LeakyReLU slope %g", slope), got, want, 0)
		checkGradients(t, fmt.Sprintf("LeakyReLU slope %g", slope), func(in []*Node) *Node { return LeakyReLU(in[0], slope) }, x)
	}
}

// TestAdaIN compares AdaIN with its formula, for a batch and for one image (which AdaIN
// computes on another path).
func TestAdaIN(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 20))
	h, w, c := 3, 4, 3
	for _, n := range []int{2, 1} {
		x := randArray(rng, n, h, w, c)
		scale, bias := randArray(rng, n, c), randArray(rng, n, c)
		got := run(t, func(in []*Node) *Node { return AdaIN(in[0], in[1], in[2], 1e-5) }, x, scale, bias)
		want := array{dims: x.dims, data: make([]float64, len(x.data))}
		for b := range n {
			for ch := range c {
				mean, sq := 0.0, 0.0
				for p := range h * w {
					mean += x.data[(b*h*w+p)*c+ch] / float64(h*w)
				}
				for p := range h * w {
					d := x.data[(b*h*w+p)*c+ch] - mean
					sq += d * d / float64(h*w)
				}
				for p := range h * w {
					i := (b*h*w+p)*c + ch
					want.data[i] = scale.data[b*c+ch]*(x.data[i]-mean)/math.Sqrt(sq+1e-5) + bias.data[b*c+ch]
				}
			}
		}
		what := fmt.Sprintf("AdaIN, batch %d", n)
		assertClose(t, what, got, want, 1e-12)
		checkGradients(t, what, func(in []*Node) *Node { return AdaIN(in[0], in[1], in[2], 1e-5) }, x, scale, bias)
	}
}
