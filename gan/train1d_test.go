package gan

import (
	"context"
	"math"
	"testing"
)

func nanValue() float64 { return math.NaN() }

// TestToy1DConverges is a looser version of the acceptance check (JS < 0.01 nats, mean
// |D − D*| < 0.05 over μ ± 2σ after Toy1DConfig's 4000 steps): 3000 steps, JS < 0.03, |D − D*| < 0.1.
func TestToy1DConverges(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for ~10 s")
	}
	tr := newToyTrainer(t, Toy1DConfig())
	if err := tr.Train(context.Background(), 3000, nil); err != nil {
		t.Fatal(err)
	}
	a, err := tr.Analyze1D(tr.Data.(*Toy1D).Dist, -4, 12, 801, 4, 1.25)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("after %d steps: JS = %.5f nats, mean |D − D*| = %.4f", tr.Step(), a.JS, a.MeanAbsDMinusDStar)
	if a.JS >= 0.03 || a.MeanAbsDMinusDStar >= 0.1 {
		t.Fatalf("1-D GAN did not converge: JS = %.4f, mean |D − D*| = %.4f", a.JS, a.MeanAbsDMinusDStar)
	}
}
