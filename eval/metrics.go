package eval

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// ClassifierScore is exp(E_x KL(p(y|x) ‖ p(y))) over rows of class probabilities, p(y) being
// their mean (Salimans et al. 2016's Inception score formula).
func ClassifierScore(probs [][]float64) float64 {
	if len(probs) == 0 {
		return math.NaN()
	}
	k := len(probs[0])
	marginal := make([]float64, k)
	for _, p := range probs {
		for c, v := range p {
			marginal[c] += v / float64(len(probs))
		}
	}
	kl := 0.0
	for _, p := range probs {
		for c, v := range p {
			if v > 0 {
				kl += v * (math.Log(v) - math.Log(marginal[c])) / float64(len(probs))
			}
		}
	}
	return math.Exp(kl)
}

// ClassHistogram returns the share of samples whose most probable class is each class.
func ClassHistogram(probs [][]float64) []float64 {
	if len(probs) == 0 {
		return nil
	}
	hist := make([]float64, len(probs[0]))
	for _, p := range probs {
		hist[Argmax(p)] += 1 / float64(len(probs))
	}
	return hist
}

// Argmax is the class the classifier finds most probable: the index of the largest probability
// (the first one on a tie).
func Argmax(p []float64) int {
	best := 0
	for i, v := range p {
		if v > p[best] {
			best = i
		}
	}
	return best
}

// LabelAccuracy is the share of samples whose most probable class is the requested label, and
// the same per label.
func LabelAccuracy(probs [][]float64, labels []int) (overall float64, perLabel map[int]float64, err error) {
	if len(probs) != len(labels) {
		return 0, nil, fmt.Errorf("%d predictions for %d labels", len(probs), len(labels))
	}
	hits, counts := map[int]int{}, map[int]int{}
	total := 0
	for i, p := range probs {
		counts[labels[i]]++
		if Argmax(p) == labels[i] {
			hits[labels[i]]++
			total++
		}
	}
	perLabel = map[int]float64{}
	for l, n := range counts {
		perLabel[l] = float64(hits[l]) / float64(n)
	}
	return float64(total) / float64(len(labels)), perLabel, nil
}

// Gaussian is a mean and covariance of feature vectors.
type Gaussian struct {
	Mean []float64
	Cov  *mat.SymDense
	// features are the vectors it was fitted on, when a Reference keeps them for the kernel
	// distance (nil otherwise).
	features [][]float64
}

// FitGaussian estimates mean and (unbiased) covariance of rows of features.
func FitGaussian(features [][]float64) (Gaussian, error) {
	n := len(features)
	if n < 2 {
		return Gaussian{}, fmt.Errorf("need at least 2 feature vectors, got %d", n)
	}
	d := len(features[0])
	mean := make([]float64, d)
	for _, f := range features {
		for j, v := range f {
			mean[j] += v / float64(n)
		}
	}
	centered := mat.NewDense(n, d, nil)
	for i, f := range features {
		for j, v := range f {
			centered.Set(i, j, v-mean[j])
		}
	}
	cov := mat.NewSymDense(d, nil)
	cov.SymOuterK(1/float64(n-1), centered.T())
	return Gaussian{Mean: mean, Cov: cov}, nil
}

// FrechetDistance between two Gaussians: ‖μ₁ − μ₂‖² + Tr(Σ₁) + Tr(Σ₂) − 2·Tr((Σ₁Σ₂)^½), with
// Tr((Σ₁Σ₂)^½) = Σ √λᵢ over the eigenvalues λ of the symmetric Σ₁^½ Σ₂ Σ₁^½.
func FrechetDistance(a, b Gaussian) (float64, error) {
	d := len(a.Mean)
	if len(b.Mean) != d {
		return 0, fmt.Errorf("feature sizes %d and %d differ", d, len(b.Mean))
	}
	dist := 0.0
	for i := range d {
		diff := a.Mean[i] - b.Mean[i]
		dist += diff * diff
	}
	sqrtA, err := sqrtPSD(a.Cov)
	if err != nil {
		return 0, err
	}
	var m mat.Dense
	m.Mul(sqrtA, b.Cov)
	m.Mul(&m, sqrtA)
	sym := mat.NewSymDense(d, nil)
	for i := range d {
		for j := i; j < d; j++ {
			sym.SetSym(i, j, (m.At(i, j)+m.At(j, i))/2)
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(sym, false) {
		return 0, fmt.Errorf("eigendecomposition failed")
	}
	trSqrt := 0.0
	for _, l := range eig.Values(nil) {
		trSqrt += math.Sqrt(math.Max(l, 0))
	}
	return dist + mat.Trace(a.Cov) + mat.Trace(b.Cov) - 2*trSqrt, nil
}

// sqrtPSD returns the symmetric square root of a positive semi-definite matrix.
func sqrtPSD(s *mat.SymDense) (*mat.Dense, error) {
	var eig mat.EigenSym
	if !eig.Factorize(s, true) {
		return nil, fmt.Errorf("eigendecomposition failed")
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	d := len(vals)
	scaled := mat.NewDense(d, d, nil)
	for j := range d {
		r := math.Sqrt(math.Max(vals[j], 0))
		for i := range d {
			scaled.Set(i, j, vecs.At(i, j)*r)
		}
	}
	var out mat.Dense
	out.Mul(scaled, vecs.T())
	return &out, nil
}
