package eval

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat"
)

// BootstrapRounds is how many resamples estimate a Report's standard errors.
const BootstrapRounds = 20

// SmallN is the sample size below which WriteTable warns that the Fréchet distance should not
// rank models: its finite-sample bias grows as n shrinks, so only distances at the same n compare.
const SmallN = 5000

// bootstrapErrors estimates the standard errors of the classifier score and of the Fréchet
// distance to reference by the bootstrap: both recomputed on BootstrapRounds resamples, with
// replacement, of the n images (their probabilities and features), and the standard deviation
// taken over the resamples. The resamples come from a fixed seed, so a report is repeatable.
func bootstrapErrors(probs, feats [][]float64, reference Gaussian) (score, fcd float64, err error) {
	rng := rand.New(rand.NewPCG(uint64(len(probs)), 1))
	scores := make([]float64, BootstrapRounds)
	fcds := make([]float64, BootstrapRounds)
	p, f := make([][]float64, len(probs)), make([][]float64, len(feats))
	for r := range BootstrapRounds {
		for i := range p {
			j := rng.IntN(len(probs))
			p[i], f[i] = probs[j], feats[j]
		}
		scores[r] = ClassifierScore(p)
		g, err := FitGaussian(f)
		if err != nil {
			return 0, 0, err
		}
		if fcds[r], err = FrechetDistance(g, reference); err != nil {
			return 0, 0, err
		}
	}
	return stat.StdDev(scores, nil), stat.StdDev(fcds, nil), nil
}

// binomialError is the standard error of a share p measured on n samples.
func binomialError(p float64, n int) float64 { return math.Sqrt(p * (1 - p) / float64(n)) }
