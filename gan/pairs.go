package gan

import "github.com/ganlab/ganlab/datasets"

// TheoryPair is a data distribution and a generator distribution to compare.
type TheoryPair struct {
	Name      string
	Data, Gen datasets.Distribution1D
}

// StandardTheoryPairs are the cases `ganlab theory` prints: equal Gaussians, a shift, a different
// width, a bimodal data distribution against a single Gaussian (mode dropping's cost), disjoint
// supports (JS = log 2, V(D*, G) = 0) and a heavy-tailed distribution against a Gaussian.
func StandardTheoryPairs() []TheoryPair {
	mix, _ := datasets.NewMixture([]datasets.Gaussian{{Mu: -2, Sigma: 0.7}, {Mu: 2, Sigma: 0.7}}, []float64{1, 1})
	return []TheoryPair{
		{"equal N(0,1) vs N(0,1)", datasets.Gaussian{Mu: 0, Sigma: 1}, datasets.Gaussian{Mu: 0, Sigma: 1}},
		{"shifted N(0,1) vs N(1,1)", datasets.Gaussian{Mu: 0, Sigma: 1}, datasets.Gaussian{Mu: 1, Sigma: 1}},
		{"far N(0,1) vs N(4,1)", datasets.Gaussian{Mu: 0, Sigma: 1}, datasets.Gaussian{Mu: 4, Sigma: 1}},
		{"widths N(0,1) vs N(0,2²)", datasets.Gaussian{Mu: 0, Sigma: 1}, datasets.Gaussian{Mu: 0, Sigma: 2}},
		{"mixture ±2 vs N(0,2²)", mix, datasets.Gaussian{Mu: 0, Sigma: 2}},
		{"mixture ±2 vs N(2,0.7²) (one mode)", mix, datasets.Gaussian{Mu: 2, Sigma: 0.7}},
		{"disjoint U[0,1] vs U[2,3]", datasets.Uniform{Lo: 0, Hi: 1}, datasets.Uniform{Lo: 2, Hi: 3}},
		{"heavy tails Laplace(0,1) vs N(0,1)", datasets.Laplace{Mu: 0, B: 1}, datasets.Gaussian{Mu: 0, Sigma: 1}},
	}
}
