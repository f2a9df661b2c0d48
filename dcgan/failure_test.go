package dcgan

import (
	"testing"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/gan"
)

// TestEq16And17AsWrittenFreezeTheGame reproduces notebook 03's failing run, seed 1: the paper's
// networks at 32×32 on MNIST, trained by Eq. 16–17 as written (plain gradient steps, α = 0.02,
// the minimax generator loss log(1 − D(G(z)))). D separates real from generated within a few
// dozen steps; then both players' gradients vanish and the generator stops moving. The DCGAN
// recipe (Adam, −log D(G(z))) on the same networks, data and seed keeps D(G(z)) away from 0 and
// the generator's gradient large.
func TestEq16And17AsWrittenFreezeTheGame(t *testing.T) {
	if testing.Short() {
		t.Skip("trains two width-64 models for 60 steps each")
	}
	backend.Quiet()
	const steps, from = 60, 40
	run := func(cfg gan.Config) (last gan.StepRecord, maxGradG float64) {
		tr, err := NewMNIST32Trainer(backend.MustNew("go"), cfg, 64)
		if err != nil {
			t.Fatal(err)
		}
		for tr.Step() < steps {
			r, err := tr.TrainStep()
			if err != nil {
				t.Fatal(err)
			}
			if tr.Step() > from {
				maxGradG = max(maxGradG, r.GradNormG)
			}
			last = r
		}
		return last, maxGradG
	}
	eq := gan.DefaultConfig()
	eq.Optimizer, eq.Loss, eq.LearningRateD, eq.LearningRateG = gan.GradientSteps, gan.Minimax, 0.02, 0.02
	failing, failingGrad := run(eq)
	working, workingGrad := run(gan.DefaultConfig())
	t.Logf("step %d: Eq. 16–17 D(x) %.6f D(G(z)) %.3g, generator gradient ≤ %.3g; recipe D(x) %.3f D(G(z)) %.3f, generator gradient ≤ %.3g",
		steps, failing.DReal, failing.DFake, failingGrad, working.DReal, working.DFake, workingGrad)
	if failing.DReal < 0.999 || failing.DFake > 1e-3 {
		t.Errorf("Eq. 16–17: D(x) = %.6f, D(G(z)) = %.3g at step %d; want D saturated (> 0.999, < 1e-3)", failing.DReal, failing.DFake, steps)
	}
	if working.DFake < 0.01 {
		t.Errorf("recipe: D(G(z)) = %.3g at step %d; want the generator still fooling D sometimes (> 0.01)", working.DFake, steps)
	}
	if failingGrad*1e3 > workingGrad {
		t.Errorf("generator gradient norm over steps %d–%d: Eq. 16–17 %.3g, recipe %.3g; want the first below a thousandth of the second", from+1, steps, failingGrad, workingGrad)
	}
}
