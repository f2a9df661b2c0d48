package eval

import (
	"math/rand/v2"
	"testing"
)

// TestBootstrapErrorsShrinkWithN: the standard errors of the score and of the Fréchet distance
// are positive and fall roughly as 1/√n (ten times the samples: about a third of the error) for
// sets that differ from the reference (shifted features, unequal classes; where the two match,
// the errors fall faster, as 1/n).
func TestBootstrapErrorsShrinkWithN(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	draw := func(n int, shift float64) (probs, feats [][]float64) {
		for range n {
			f := make([]float64, 4)
			for j := range f {
				f[j] = rng.NormFloat64()
			}
			f[0] += shift
			p := make([]float64, 3)
			class := 0
			if u := rng.Float64(); u > 0.6 {
				class = 1 + int((u-0.6)/0.3) // 60%, 30%, 10%
			}
			p[min(class, 2)] = 0.8
			for j := range p {
				p[j] += 0.1
			}
			probs, feats = append(probs, p), append(feats, f)
		}
		return probs, feats
	}
	_, refFeats := draw(5000, 0)
	reference, err := FitGaussian(refFeats)
	if err != nil {
		t.Fatal(err)
	}
	var scoreSE, fcdSE [2]float64
	for i, n := range []int{300, 3000} {
		probs, feats := draw(n, 0.5)
		if scoreSE[i], fcdSE[i], err = bootstrapErrors(probs, feats, reference); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("score SE %.4g → %.4g, distance SE %.4g → %.4g", scoreSE[0], scoreSE[1], fcdSE[0], fcdSE[1])
	for name, se := range map[string][2]float64{"score": scoreSE, "distance": fcdSE} {
		if !(se[1] > 0) || !(se[1] < 0.5*se[0]) || !(se[1] > 0.2*se[0]) {
			t.Errorf("%s: standard error %.4g at n = 300 and %.4g at n = 3000, want both > 0 and a ratio near 1/√10", name, se[0], se[1])
		}
	}
	if got := binomialError(0.9, 100); got < 0.0299 || got > 0.0301 {
		t.Errorf("binomial standard error of 0.9 on 100 samples: %g, want 0.03", got)
	}
}
