package eval

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat"
)

// KIDSubset is the size of the disjoint subsets the kernel distance is averaged over (TF-GAN's
// and Bińkowski et al.'s 1000).
const KIDSubset = 1000

// MinKIDSubsets is the fewest subsets the kernel distance is averaged over.
const MinKIDSubsets = 10

// KernelDistance is the kernel classifier distance (KID, Bińkowski et al. 2018, as TF-GAN
// computes it): the unbiased estimate of the squared maximum mean discrepancy between the
// feature sets x and y under the polynomial kernel k(a, b) = (a·b/d + 1)³, averaged over
// disjoint random subsets of KIDSubset rows (fewer when the sets are small: at least
// MinKIDSubsets subsets, so that their spread gives a standard error). Unlike the Fréchet distance it has no bias at small n: its expectation is the same
// at every n, and 0 when x and y come from one distribution. se is the standard error of the
// mean over the subsets (they are disjoint, hence independent). The subsets come from a fixed
// seed, so the result is repeatable.
func KernelDistance(x, y [][]float64) (kid, se float64, err error) {
	n := min(len(x), len(y))
	if n < 2*MinKIDSubsets {
		return 0, 0, fmt.Errorf("kernel distance: need at least %d feature vectors in each set, got %d and %d", 2*MinKIDSubsets, len(x), len(y))
	}
	m := min(KIDSubset, n/MinKIDSubsets)
	rng := rand.New(rand.NewPCG(uint64(len(x)), uint64(len(y))))
	px, py := rng.Perm(len(x)), rng.Perm(len(y))
	var estimates []float64
	for s := 0; (s+1)*m <= n; s++ {
		estimates = append(estimates, mmd2(pick(x, px[s*m:(s+1)*m]), pick(y, py[s*m:(s+1)*m])))
	}
	mean, sd := stat.MeanStdDev(estimates, nil)
	return mean, sd / math.Sqrt(float64(len(estimates))), nil
}

func pick(rows [][]float64, idx []int) [][]float64 {
	out := make([][]float64, len(idx))
	for i, j := range idx {
		out[i] = rows[j]
	}
	return out
}

// mmd2 is the unbiased squared MMD of two equal-size sets under the cubic polynomial kernel.
func mmd2(x, y [][]float64) float64 {
	m, d := float64(len(x)), float64(len(x[0]))
	k := func(a, b []float64) float64 {
		var dot float64
		for i := range a {
			dot += a[i] * b[i]
		}
		v := dot/d + 1
		return v * v * v
	}
	var kxx, kyy, kxy float64
	for i := range x {
		for j := range x {
			if i != j {
				kxx += k(x[i], x[j])
				kyy += k(y[i], y[j])
			}
			kxy += k(x[i], y[j])
		}
	}
	return kxx/(m*(m-1)) + kyy/(m*(m-1)) - 2*kxy/(m*m)
}
