package blocks

import (
	"math"
	"math/rand/v2"
	"testing"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
)

// TestDenseMatchesLayersDense checks that Dense is layers.Dense with another gradient: from the
// same seed it creates the same variables with the same values, and it gives the same output
// and the same gradients with respect to x and both variables.
func TestDenseMatchesLayersDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	x := randArray(rng, 6, 5)
	type layer func(scope *model.Scope, x *Node) *Node
	results := func(dense layer) (values map[string][]float64, outputs [][]float64) {
		store := model.NewStore()
		store.SetRNGStateFromSeed(9)
		exec := model.MustNewExec(testBackend, store, func(scope *model.Scope, x *Node) []*Node {
			scope = scope.WithInitializer(initializer.RandomNormalFn(scope, 0.5))
			y := dense(scope.In("layer"), x)
			loss := ReduceAllSum(Mul(y, Sin(y)))
			w := store.GetVariable("/layer/dense/weights").NodeValue(x.Graph())
			b := store.GetVariable("/layer/dense/biases").NodeValue(x.Graph())
			return append([]*Node{y}, Gradient(loss, x, w, b)...)
		})
		for _, out := range exec.MustExec(x.tensor()) {
			outputs = append(outputs, tensors.MustCopyFlatData[float64](out))
		}
		values = map[string][]float64{}
		for _, path := range []string{"/layer/dense/weights", "/layer/dense/biases"} {
			values[path] = tensors.MustCopyFlatData[float64](store.GetVariable(path).MustValue())
		}
		return values, outputs
	}
	wantValues, want := results(func(scope *model.Scope, x *Node) *Node { return layers.DenseWithBias(scope, x, 3) })
	gotValues, got := results(func(scope *model.Scope, x *Node) *Node { return Dense(scope, x, true, 3) })
	for path := range wantValues {
		if !equalWithin(gotValues[path], wantValues[path], 0) {
			t.Errorf("variable %s: %v, layers.Dense's %v", path, gotValues[path], wantValues[path])
		}
	}
	for i, name := range []string{"output", "∂/∂x", "∂/∂weights", "∂/∂biases"} {
		if !equalWithin(got[i], want[i], 1e-12) {
			t.Errorf("%s: %v, layers.Dense's %v", name, got[i], want[i])
		}
	}
}

func equalWithin(a, b []float64, tolerance float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !(math.Abs(a[i]-b[i]) <= tolerance) {
			return false
		}
	}
	return true
}
