package gan

import (
	"math"
	"testing"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/ganlab/ganlab/backend"
)

// TestTrainerLossesAreTheEquations: the losses the trainer's graphs descend equal, in float64 to
// 1e-9, the cross-entropies of Eq. 14–15 (docs/equations.md) computed from probabilities (CrossEntropyLosses)
// on the same D outputs: the discriminator's (which is also the TF tutorial's
// discriminator_loss), the minimax generator's (Eq. 17) and the non-saturating one (the
// tutorial's generator_loss).
func TestTrainerLossesAreTheEquations(t *testing.T) {
	lReal := []float64{2.1, -0.3, 0.7, 4.0, -1.5}
	lFake := []float64{-2.2, 0.4, -0.1, -3.7, 1.2}
	sigmoid := func(ls []float64) []float64 {
		out := make([]float64, len(ls))
		for i, l := range ls {
			out[i] = 1 / (1 + math.Exp(-l))
		}
		return out
	}
	wantD, wantMinimax, wantNS := CrossEntropyLosses(sigmoid(lReal), sigmoid(lFake))
	var tfD float64 // tf.keras BinaryCrossentropy(from_logits=True), mean over the batch
	for i := range lReal {
		tfD += (-math.Log(sigmoid(lReal)[i]) - math.Log(1-sigmoid(lFake)[i])) / float64(len(lReal))
	}
	for _, c := range []struct {
		loss  GeneratorLoss
		wantG float64
	}{{Minimax, wantMinimax}, {NonSaturating, wantNS}} {
		cfg := Toy1DConfig()
		cfg.Loss = c.loss
		tr := &Trainer{Model: &Model{Config: cfg}}
		exec, err := NewExec(backend.MustNew("go"), func(r, f *Node) (*Node, *Node) {
			return tr.discriminatorLoss(nil, r, nil, r, f), tr.generatorLoss(f)
		})
		if err != nil {
			t.Fatal(err)
		}
		out, err := exec.Exec(tensors.FromValue(lReal), tensors.FromValue(lFake))
		if err != nil {
			t.Fatal(err)
		}
		gotD, gotG := tensors.ToScalar[float64](out[0]), tensors.ToScalar[float64](out[1])
		for _, check := range []struct {
			what      string
			got, want float64
		}{{"discriminator (Eq. 15)", gotD, wantD}, {"TF tutorial discriminator_loss", gotD, tfD}, {c.loss.String() + " generator", gotG, c.wantG}} {
			if math.Abs(check.got-check.want) > 1e-9 {
				t.Errorf("%s loss: graph %.12f, equation %.12f", check.what, check.got, check.want)
			}
		}
	}
}

// TestHingeLosses: the trainer's hinge losses on raw outputs against their definitions, with
// outputs inside and beyond the margin (an example beyond it contributes nothing to D's loss).
func TestHingeLosses(t *testing.T) {
	real := []float64{2.1, -0.3, 0.7, 1.0}
	fake := []float64{-2.2, 0.4, -0.1, -1.0}
	var wantD, wantG float64
	for i := range real {
		wantD += (max(0, 1-real[i]) + max(0, 1+fake[i])) / float64(len(real))
		wantG -= fake[i] / float64(len(fake))
	}
	cfg := DefaultConfig()
	cfg.Loss = Hinge
	tr := &Trainer{Model: &Model{Config: cfg}}
	exec, err := NewExec(backend.MustNew("go"), func(r, f *Node) (*Node, *Node, *Node) {
		return tr.discriminatorLoss(nil, r, nil, r, f), tr.generatorLoss(f), tr.meanD(f)
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Exec(tensors.FromValue(real), tensors.FromValue(fake))
	if err != nil {
		t.Fatal(err)
	}
	gotD, gotG, meanD := tensors.ToScalar[float64](out[0]), tensors.ToScalar[float64](out[1]), tensors.ToScalar[float64](out[2])
	if math.Abs(gotD-wantD) > 1e-12 || math.Abs(gotG-wantG) > 1e-12 || math.Abs(meanD+wantG) > 1e-12 {
		t.Errorf("hinge: D %.6f (want %.6f), G %.6f (want %.6f), mean raw output %.6f (want %.6f)", gotD, wantD, gotG, wantG, meanD, -wantG)
	}
}
