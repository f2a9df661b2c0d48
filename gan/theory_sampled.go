package gan

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/ganlab/ganlab/blocks"
	"github.com/ganlab/ganlab/datasets"
)

// MonteCarloValue estimates V(D*, G) from samples instead of by quadrature: the mean of
// log D*(x) over n draws x ~ p_data plus the mean of log(1 − D*(x)) over n draws x ~ p_g, with
// its standard error. 1 − D*(x) is evaluated as p_g/(p_data + p_g), the same number without
// the rounding of 1 − D* near D* = 1.
func MonteCarloValue(data, gen datasets.Distribution1D, n int, seed uint64) (v, stdErr float64) {
	rng := rand.New(rand.NewPCG(seed, 7))
	mean := func(xs []float64, term func(a, b float64) float64) (m, variance float64) {
		for _, x := range xs {
			m += term(data.Density(x), gen.Density(x)) / float64(len(xs))
		}
		for _, x := range xs {
			d := term(data.Density(x), gen.Density(x)) - m
			variance += d * d / float64(len(xs)-1)
		}
		return m, variance
	}
	mReal, varReal := mean(data.Sample(rng, n), func(a, b float64) float64 { return math.Log(a / (a + b)) })
	mFake, varFake := mean(gen.Sample(rng, n), func(a, b float64) float64 { return math.Log(b / (a + b)) })
	return mReal + mFake, math.Sqrt(varReal/float64(n) + varFake/float64(n))
}

// TrainedValue trains a small discriminator network (two LeakyReLU layers of 32, as in the 1-D
// GAN) on samples of both distributions, descending DiscriminatorLoss (Eq. 15) for steps Adam
// steps of batch 256, and returns V(D̂, G) by quadrature on grid. Since D* maximizes V pointwise,
// V(D̂, G) ≤ V(D*, G): a trained discriminator approaches the optimum from below.
func TrainedValue(backend compute.Backend, data, gen datasets.Distribution1D, steps int, seed uint64, grid Grid) (float64, error) {
	_, d := Toy1DModels()
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, int64(seed))
	opt := optimizer.Adam().LearningRate(1e-3).Betas(0.5, 0.999).Scope("adam_discriminator").Done()
	logits := func(scope *model.Scope, x *Node) *Node {
		l := d(scope.At(DiscScope), x)
		return Reshape(l, l.Shape().Dimensions[0])
	}
	step, err := model.NewExec(backend, store, func(scope *model.Scope, real, fake *Node) *Node {
		scope.SetTraining(real.Graph(), true)
		loss := DiscriminatorLoss(logits(scope, real), logits(scope, fake))
		ApplyGradients(scope.At(DiscScope), opt, loss)
		return loss
	})
	if err != nil {
		return 0, err
	}
	rng := rand.New(rand.NewPCG(seed, 8))
	batch := func(dist datasets.Distribution1D) *tensors.Tensor {
		xs := dist.Sample(rng, 256)
		flat := make([]float32, len(xs))
		for i, x := range xs {
			flat[i] = float32(x)
		}
		return tensors.FromFlatDataAndDimensions(flat, len(flat), 1)
	}
	for range steps {
		out, err := step.Exec(batch(data), batch(gen))
		if err != nil {
			return 0, err
		}
		out[0].FinalizeAll()
	}
	// D̂ on every node of the grid, in one call.
	n := grid.N + grid.N%2
	h := (grid.Hi - grid.Lo) / float64(n)
	nodes := make([]float32, n+1)
	for i := range nodes {
		nodes[i] = float32(grid.Lo + float64(i)*h)
	}
	infer := blocks.NewInferenceExec(backend, store, func(scope *model.Scope, x *Node) *Node { return Sigmoid(logits(scope, x)) })
	defer infer.Finalize()
	outs, err := infer.Call(tensors.FromFlatDataAndDimensions(nodes, n+1, 1))
	if err != nil {
		return 0, err
	}
	values := tensors.MustCopyFlatData[float32](outs[0])
	dHat := func(x float64) float64 {
		i := int(math.Round((x - grid.Lo) / h))
		return float64(values[min(max(i, 0), n)])
	}
	return ValueFunction(data.Density, gen.Density, dHat, grid), nil
}

// TheoryReport is everything `ganlab theory` computes for a pair: the identity by quadrature
// (TheoryCheck), V(D*, G) estimated from samples, and V of a discriminator trained on samples.
type TheoryReport struct {
	TheoryCheck
	VMC         float64 `json:"v_mc"`    // MonteCarloValue
	VMCStdErr   float64 `json:"v_mc_se"` // its standard error
	MCDiff      float64 `json:"v_mc_minus_v_direct"`
	VTrained    float64 `json:"v_trained"` // TrainedValue: ≤ v_direct
	TrainedDiff float64 `json:"v_trained_minus_v_direct"`
}

// Theory samples and trainings of CheckPair.
const (
	TheorySamples       = 20000
	TheoryTrainingSteps = 2000
)

// CheckPair computes the TheoryReport of a pair on grid (TheorySamples draws of each
// distribution; TheoryTrainingSteps steps for the trained discriminator; both from seed).
func CheckPair(backend compute.Backend, pair TheoryPair, grid Grid, seed uint64) (TheoryReport, error) {
	r := TheoryReport{TheoryCheck: CheckIdentity(pair.Name, pair.Data.Density, pair.Gen.Density, grid)}
	r.VMC, r.VMCStdErr = MonteCarloValue(pair.Data, pair.Gen, TheorySamples, seed)
	var err error
	r.VTrained, err = TrainedValue(backend, pair.Data, pair.Gen, TheoryTrainingSteps, seed, grid)
	r.MCDiff, r.TrainedDiff = r.VMC-r.VOptimal, r.VTrained-r.VOptimal
	return r, err
}

// Holds reports whether the report passes `ganlab theory`'s checks: the two integrals agree to
// 1e-6, and the Monte-Carlo estimate lies within four standard errors of them.
func (r TheoryReport) Holds() bool {
	return math.Abs(r.Difference) < 1e-6 && math.Abs(r.MCDiff) <= 4*r.VMCStdErr+1e-12
}

// CheckPairs is CheckPair for each pair, and the first failure of Holds as an error.
func CheckPairs(backend compute.Backend, pairs []TheoryPair, grid Grid, seed uint64) (reports []TheoryReport, failure error, err error) {
	for _, p := range pairs {
		r, err := CheckPair(backend, p, grid, seed)
		if err != nil {
			return nil, nil, err
		}
		reports = append(reports, r)
		if !r.Holds() && failure == nil {
			failure = fmt.Errorf("%s: |V(D*,G) − (2JS − 2log2)| = %.3g (bound 1e-6), sampled V off by %.3g (bound 4 standard errors = %.3g)",
				r.Name, math.Abs(r.Difference), math.Abs(r.MCDiff), 4*r.VMCStdErr)
		}
	}
	return reports, failure, nil
}

// WriteTheoryTable writes the reports as `ganlab theory`'s table.
func WriteTheoryTable(w io.Writer, reports []TheoryReport, grid Grid) {
	fmt.Fprintf(w, "V(D*,G) by Simpson's rule on [%g, %g] (%d intervals); JS from ½KL(p‖m) + ½KL(q‖m); V from %d samples of each (± standard error) and of a discriminator trained %d steps\n\n",
		grid.Lo, grid.Hi, grid.N, TheorySamples, TheoryTrainingSteps)
	fmt.Fprintf(w, "%-36s %14s %14s %8s %22s %12s %9s\n", "p_data vs p_g", "V(D*,G)", "2JS − 2log2", "|diff|", "V from samples", "V(D̂,G)", "JS (nats)")
	for _, r := range reports {
		fmt.Fprintf(w, "%-36s %14.10f %14.10f %8.1e %13.6f ± %.6f %12.6f %9.6f\n", r.Name, r.VOptimal, r.TwoJSMinusLog4, math.Abs(r.Difference), r.VMC, r.VMCStdErr, r.VTrained, r.JS)
	}
	fmt.Fprintf(w, "\n−log 4 = %.10f (the minimum, reached iff p_g = p_data)\n", -math.Log(4))
}
