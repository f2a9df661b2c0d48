package gan

import (
	"math"
	"testing"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/ganlab/ganlab/backend"
)

// TestGradientStepsAreEq16And17: one update of L = ½‖w‖² + ⟨c, u⟩ moves w by −α·w and u by −α·c,
// with α read from the learning-rate variable that SetLearningRates changes.
func TestGradientStepsAreEq16And17(t *testing.T) {
	store := model.NewStore()
	w0, c := []float32{1, -2, 3}, []float32{0.5, 4}
	const rate = 0.1
	step, err := model.NewExec(backend.MustNew("go"), store, func(scope *model.Scope, g *Graph) *Node {
		s := scope.At(GenScope)
		w := s.VariableWithValue("w", append([]float32(nil), w0...)).NodeValue(g)
		u := s.VariableWithValue("u", []float32{0, 0}).NodeValue(g)
		loss := Add(MulScalar(ReduceAllSum(Square(w)), 0.5), ReduceAllSum(Mul(u, Const(g, c))))
		ApplyGradients(s, gradientSteps{rate: rate}, loss)
		return loss
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := step.Exec(); err != nil {
		t.Fatal(err)
	}
	value := func(name string) []float32 {
		return tensors.MustCopyFlatData[float32](store.GetVariable("/" + GenScope + "/" + name).MustValue())
	}
	for i, got := range value("w") {
		if want := w0[i] * (1 - rate); math.Abs(float64(got-want)) > 1e-6 {
			t.Errorf("w[%d] = %g after one step, want %g", i, got, want)
		}
	}
	for i, got := range value("u") {
		if want := -rate * c[i]; math.Abs(float64(got-want)) > 1e-6 {
			t.Errorf("u[%d] = %g after one step, want %g", i, got, want)
		}
	}
}
