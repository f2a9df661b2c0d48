package gan

import (
	"math"
	"strings"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/tensors"
)

// generatorWeights reads the trainable generator weights as float64, by path.
func generatorWeights(t *testing.T, m *Model) map[string][]float64 {
	t.Helper()
	out := map[string][]float64{}
	for v := range m.Store.IterVariables() {
		if !v.Trainable || !strings.HasPrefix(v.Path(), "/"+GenScope+"/") || !v.HasValue() {
			continue
		}
		x := v.MustValue()
		switch x.DType() {
		case dtypes.Float32:
			for _, f := range tensors.MustCopyFlatData[float32](x) {
				out[v.Path()] = append(out[v.Path()], float64(f))
			}
		case dtypes.Float64:
			out[v.Path()] = tensors.MustCopyFlatData[float64](x)
		default:
			t.Fatalf("%s: dtype %s", v.Path(), x.DType())
		}
	}
	return out
}

// TestMovingAverage: after n generator steps, UseMovingAverage puts into G the debiased
// exponential moving average of G's weights, θ̄_n / (1 − β^n), computed here independently from
// the weights read after every step; in both training modes. A model trained without it says so.
func TestMovingAverage(t *testing.T) {
	for _, simultaneous := range []bool{false, true} {
		cfg := Toy1DConfig()
		cfg.Simultaneous = simultaneous
		cfg.EMADecay = 0.8
		tr := newToyTrainer(t, cfg)
		avg := map[string][]float64{}
		const n = 6
		for range n {
			if _, err := tr.TrainStep(); err != nil {
				t.Fatal(err)
			}
			for p, w := range generatorWeights(t, tr.Model) {
				if avg[p] == nil {
					avg[p] = make([]float64, len(w))
				}
				for i := range w {
					avg[p][i] = cfg.EMADecay*avg[p][i] + (1-cfg.EMADecay)*w[i]
				}
			}
		}
		last := generatorWeights(t, tr.Model)
		if !tr.HasMovingAverage() {
			t.Fatal("trained with an EMA decay, HasMovingAverage is false")
		}
		if err := tr.UseMovingAverage(0); err != nil {
			t.Fatal(err)
		}
		moved := 0.0
		for p, w := range generatorWeights(t, tr.Model) {
			for i := range w {
				want := avg[p][i] / (1 - math.Pow(cfg.EMADecay, n))
				if math.Abs(w[i]-want) > 1e-5*(1+math.Abs(want)) {
					t.Fatalf("simultaneous=%v: %s[%d] = %g, want the debiased average %g", simultaneous, p, i, w[i], want)
				}
				moved = max(moved, math.Abs(w[i]-last[p][i]))
			}
		}
		if moved < 1e-4 {
			t.Errorf("simultaneous=%v: the average equals the last weights (largest difference %g): the test measures nothing", simultaneous, moved)
		}
	}
	plain := newToyTrainer(t, Toy1DConfig())
	if _, err := plain.TrainStep(); err != nil {
		t.Fatal(err)
	}
	if err := plain.UseMovingAverage(0); err == nil || plain.HasMovingAverage() {
		t.Error("a model trained without an EMA decay: want an error from UseMovingAverage")
	}
}
