package eval

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestKernelDistanceIsUnbiased: on two samples of one distribution the kernel distance is
// within a few standard errors of 0 at small and large n, while the Fréchet distance of the
// same samples is several times larger at the small n (its bias); on a shifted distribution the
// kernel distance is positive by many standard errors and about the same at both n.
func TestKernelDistanceIsUnbiased(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	draw := func(n int, shift float64) [][]float64 {
		out := make([][]float64, n)
		for i := range out {
			f := make([]float64, 16)
			for j := range f {
				f[j] = rng.NormFloat64()
			}
			f[0] += shift
			out[i] = f
		}
		return out
	}
	var shifted, frechet [2]float64
	for i, n := range []int{1000, 10000} {
		a, b := draw(n, 0), draw(n, 0)
		kid, se, err := KernelDistance(a, b)
		if err != nil {
			t.Fatal(err)
		}
		ga, _ := FitGaussian(a)
		gb, _ := FitGaussian(b)
		frechet[i], _ = FrechetDistance(ga, gb)
		t.Logf("n = %d, one distribution: KID %.5f ± %.5f, Fréchet %.4f", n, kid, se, frechet[i])
		if !(se > 0) || math.Abs(kid) > 4*se {
			t.Errorf("n = %d, one distribution: KID %.5f ± %.5f, want within 4 standard errors of 0", n, kid, se)
		}
		if shifted[i], se, err = KernelDistance(draw(n, 1), b); err != nil {
			t.Fatal(err)
		}
		if !(shifted[i] > 5*se) {
			t.Errorf("n = %d, shifted by 1: KID %.5f ± %.5f, want clearly positive", n, shifted[i], se)
		}
	}
	if r := shifted[0] / shifted[1]; r < 0.6 || r > 1.6 {
		t.Errorf("shifted: KID %.5f at n = 1000 and %.5f at n = 10000, want about equal (no bias)", shifted[0], shifted[1])
	}
	if !(frechet[0] > 3*frechet[1]) {
		t.Errorf("one distribution: Fréchet %.4f at n = 1000 and %.4f at n = 10000, want its bias to show", frechet[0], frechet[1])
	}
	if _, _, err := KernelDistance(draw(19, 0), draw(100, 0)); err == nil {
		t.Error("19 vectors: want an error")
	}
}
