package blocks

import (
	"math/rand/v2"
	"testing"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
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
	results := func(dense layer) (values map[string]array, outputs []array) {
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
			outputs = append(outputs, arrayOf(out))
		}
		values = map[string]array{}
		for _, path := range []string{"/layer/dense/weights", "/layer/dense/biases"} {
			values[path] = arrayOf(store.GetVariable(path).MustValue())
		}
		return values, outputs
	}
	wantValues, want := results(func(scope *model.Scope, x *Node) *Node { return layers.DenseWithBias(scope, x, 3) })
	gotValues, got := results(func(scope *model.Scope, x *Node) *Node { return Dense(scope, x, true, 3) })
	for path := range wantValues {
		assertClose(t, "variable "+path+" against layers.Dense's", gotValues[path], wantValues[path], 0)
	}
	for i, name := range []string{"output", "∂/∂x", "∂/∂weights", "∂/∂biases"} {
		assertClose(t, name+" against layers.Dense's", got[i], want[i], 1e-12)
	}
}
