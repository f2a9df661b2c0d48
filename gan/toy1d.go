package gan

import (
	"fmt"
	"math"
	"sort"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/ganlab/ganlab/datasets"
)

// Snapshot1D is the state of a 1-D GAN at one moment, as in Goodfellow et al. 2014, Figure 1:
// the data density, the generator's density, the discriminator, and the z → x mapping.
type Snapshot1D struct {
	Step  int
	X     []float64 // evaluation grid
	PData []float64 // p_data(x), exact
	PG    []float64 // p_g(x), estimated (see EstimateGeneratorDensity)
	D     []float64 // the trained discriminator D(x)
	DStar []float64 // D*(x) = p_data/(p_data + p_g) with the estimated p_g
	Z     []float64 // a few z values and where G sends them (the lower panel of Fig. 1)
	GZ    []float64
	// JS is JS(p_data ‖ p_g) in nats (Simpson's rule on the grid).
	JS float64
	// MeanAbsDMinusDStar is the mean of |D − D*| over the data's bulk, x ∈ μ ± 2σ, weighted by
	// p_data.
	MeanAbsDMinusDStar float64
}

// GeneratorDensityMethod documents how p_g is estimated for 1-D generators.
const GeneratorDensityMethod = "p_g is a Gaussian kernel density estimate (Silverman's bandwidth) of G evaluated at " +
	"n quantiles of p_z (z_i = F_z⁻¹((i+½)/n)), i.e. a deterministic, low-noise sample of G(z)"

// EstimateGeneratorDensity evaluates G at n quantiles of the latent distribution and returns a
// kernel density estimate of p_g on xs, plus the samples (sorted). Only for LatentDim = 1.
func (m *Model) EstimateGeneratorDensity(xs []float64, n int) (pg, samples []float64, err error) {
	if m.Config.LatentDim != 1 {
		return nil, nil, fmt.Errorf("density estimate needs a 1-D latent, have %d", m.Config.LatentDim)
	}
	z := make([]float32, n)
	for i := range z {
		u := (float64(i) + 0.5) / float64(n)
		if m.Config.LatentUniform {
			z[i] = float32(2*u - 1)
		} else {
			z[i] = float32(normalQuantile(u))
		}
	}
	out, err := m.Generate(tensors.FromFlatDataAndDimensions(z, n, 1))
	if err != nil {
		return nil, nil, err
	}
	samples = make([]float64, n)
	tensors.MustConstFlatData[float32](out, func(flat []float32) {
		for i, v := range flat {
			samples[i] = float64(v)
		}
	})
	sort.Float64s(samples)
	return kde(samples, xs), samples, nil
}

// kde is a Gaussian kernel density estimate with Silverman's rule-of-thumb bandwidth
// h = 0.9·min(σ̂, IQR/1.34)·n^(−1/5), evaluated on sorted samples with a ±6h window.
func kde(sorted, xs []float64) []float64 {
	n := float64(len(sorted))
	mean, sq := 0.0, 0.0
	for _, v := range sorted {
		mean += v / n
	}
	for _, v := range sorted {
		sq += (v - mean) * (v - mean) / n
	}
	iqr := sorted[len(sorted)*3/4] - sorted[len(sorted)/4]
	spread := math.Sqrt(sq)
	if iqr > 0 {
		spread = min(spread, iqr/1.34)
	}
	h := 0.9 * spread * math.Pow(n, -0.2)
	if h <= 0 {
		h = 1e-3
	}
	out := make([]float64, len(xs))
	norm := 1 / (n * h * math.Sqrt(2*math.Pi))
	for i, x := range xs {
		lo := sort.SearchFloat64s(sorted, x-6*h)
		hi := sort.SearchFloat64s(sorted, x+6*h)
		s := 0.0
		for _, v := range sorted[lo:hi] {
			u := (x - v) / h
			s += math.Exp(-0.5 * u * u)
		}
		out[i] = s * norm
	}
	return out
}

// normalQuantile is Φ⁻¹(p), found by bisection on Φ (80 halvings of [−10, 10]: below float64's
// resolution).
func normalQuantile(p float64) float64 {
	// Bisection on Φ with math.Erf is plenty here (called n times once per analysis).
	lo, hi := -10.0, 10.0
	for range 80 {
		mid := (lo + hi) / 2
		if 0.5*(1+math.Erf(mid/math.Sqrt2)) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// Analyze1D takes a Snapshot1D of a 1-D GAN against the data distribution dist, on a grid of
// points covering [lo, hi]. mu and sigma define the data's bulk μ ± 2σ for the |D − D*| average.
func (m *Model) Analyze1D(dist datasets.Distribution1D, lo, hi float64, points int, mu, sigma float64) (*Snapshot1D, error) {
	if points < 3 || !(hi > lo) {
		return nil, fmt.Errorf("bad analysis grid [%g, %g] with %d points", lo, hi, points)
	}
	if points%2 == 0 {
		points++ // Simpson needs an even number of intervals
	}
	s := &Snapshot1D{Step: m.step}
	step := (hi - lo) / float64(points-1)
	for i := range points {
		s.X = append(s.X, lo+float64(i)*step)
	}
	var err error
	s.PG, _, err = m.EstimateGeneratorDensity(s.X, 20000)
	if err != nil {
		return nil, err
	}
	xs := make([]float32, points)
	for i, x := range s.X {
		xs[i] = float32(x)
		s.PData = append(s.PData, dist.Density(x))
	}
	s.D, err = m.Discriminate(tensors.FromFlatDataAndDimensions(xs, points, 1))
	if err != nil {
		return nil, err
	}
	wSum, dSum := 0.0, 0.0
	for i, x := range s.X {
		a, b := s.PData[i], s.PG[i]
		dstar := 0.5
		if a+b > 0 {
			dstar = a / (a + b)
		}
		s.DStar = append(s.DStar, dstar)
		if x >= mu-2*sigma && x <= mu+2*sigma {
			wSum += a
			dSum += a * math.Abs(s.D[i]-dstar)
		}
	}
	if wSum > 0 {
		s.MeanAbsDMinusDStar = dSum / wSum
	}
	// JS on the grid with Simpson's rule, tabulated densities.
	idx := func(x float64) int { return min(max(int(math.Round((x-lo)/step)), 0), points-1) }
	grid := Grid{Lo: lo, Hi: hi, N: points - 1}
	s.JS = JS(func(x float64) float64 { return s.PData[idx(x)] }, func(x float64) float64 { return s.PG[idx(x)] }, grid)

	// A few z values and their images, for the mapping panel.
	const nz = 21
	z := make([]float32, nz)
	for i := range z {
		u := (float64(i) + 0.5) / nz
		if m.Config.LatentUniform {
			z[i] = float32(2*u - 1)
		} else {
			z[i] = float32(normalQuantile(u))
		}
		s.Z = append(s.Z, float64(z[i]))
	}
	gz, err := m.Generate(tensors.FromFlatDataAndDimensions(z, nz, 1))
	if err != nil {
		return nil, err
	}
	tensors.MustConstFlatData[float32](gz, func(flat []float32) {
		for _, v := range flat {
			s.GZ = append(s.GZ, float64(v))
		}
	})
	return s, nil
}
