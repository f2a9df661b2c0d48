package blocks

import (
	"math"
	"math/rand/v2"
	"testing"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// largestSingularValue of the matrix m [rows, cols] by 500 steps of power iteration on mᵀm in
// float64: the reference for the layer's one-step-per-call estimate.
func largestSingularValue(m []float64, rows, cols int) float64 {
	v := make([]float64, cols)
	for i := range v {
		v[i] = 1 + float64(i%3)
	}
	sigma := 0.0
	for range 500 {
		u := make([]float64, rows)
		for r := range rows {
			for c := range cols {
				u[r] += m[r*cols+c] * v[c]
			}
		}
		next := make([]float64, cols)
		for r := range rows {
			for c := range cols {
				next[c] += m[r*cols+c] * u[r]
			}
		}
		norm := 0.0
		for _, x := range next {
			norm += x * x
		}
		norm = math.Sqrt(norm)
		sigma = math.Sqrt(norm) // ‖mᵀm v‖ → σ² for a unit v
		for c := range cols {
			v[c] = next[c] / norm
		}
	}
	return sigma
}

// TestSpectralNormalize: after a few training calls (one power-iteration step each) the
// normalized kernel's largest singular value is 1; inference calls leave u alone; and the
// gradient flows through W and σ(W). The layer holds u and v constant in the gradient (the
// paper's choice), which matches finite differences where u and v are already the singular
// vectors: for a rank-1 kernel one power step from any start finds them, and the first-order
// change of vᵀWu through u and v vanishes there.
func TestSpectralNormalize(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	kernel := randArray(rng, 3, 3, 4, 6) // W [36, 6]
	if s := largestSingularValue(kernel.data, 36, 6); math.Abs(s-1) < 0.5 {
		t.Fatalf("test kernel already has σ = %g", s)
	}
	store := model.NewStore()
	layer := func(training bool) func(scope *model.Scope, k *Node) *Node {
		return func(scope *model.Scope, k *Node) *Node {
			scope.SetTraining(k.Graph(), training)
			return SpectralNormalize(scope.In("sn"), k)
		}
	}
	train := model.MustNewExec(testBackend, store, layer(true))
	var out []float64
	for range 20 {
		out = tensors.MustCopyFlatData[float64](train.MustExec(kernel.tensor())[0])
	}
	if s := largestSingularValue(out, 36, 6); math.Abs(s-1) > 1e-6 {
		t.Fatalf("σ(W/σ̂) = %.9f after 20 power-iteration steps, want 1", s)
	}
	u := tensors.MustCopyFlatData[float64](store.GetVariable("/sn/sn_u").MustValue())
	infer := NewInferenceExec(testBackend, store, layer(false))
	infer.MustCall(kernel.tensor())
	after := tensors.MustCopyFlatData[float64](store.GetVariable("/sn/sn_u").MustValue())
	for i := range u {
		if u[i] != after[i] {
			t.Fatal("inference changed u")
		}
	}
	a, b := randArray(rng, 12), randArray(rng, 3)
	rank1 := array{dims: []int{2, 2, 3, 3}, data: make([]float64, 36)}
	for i := range 12 {
		for j := range 3 {
			rank1.data[i*3+j] = 2 * a.data[i] * b.data[j]
		}
	}
	checkGradients(t, "SpectralNormalize", func(in []*Node) *Node {
		return SpectralNormalize(model.NewStore().RootScope(), in[0])
	}, rank1)
}
