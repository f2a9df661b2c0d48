package datasets

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Distribution1D is a 1-D data distribution with a known density: the p_data of the GAN paper's
// Figure 1, against which D* = p_data/(p_data + p_g) can be computed exactly.
type Distribution1D interface {
	Sample(rng *rand.Rand, n int) []float64
	Density(x float64) float64
	String() string
}

// Distribution2D is a 2-D distribution with a known density and a list of modes (for counting
// which modes a generator covers).
type Distribution2D interface {
	Sample(rng *rand.Rand, n int) [][2]float64
	Density(x, y float64) float64
	Modes() [][2]float64
	ModeSigma() float64
	String() string
}

// Gaussian is N(Mu, Sigma²).
type Gaussian struct{ Mu, Sigma float64 }

// Density is the normal pdf.
func (g Gaussian) Density(x float64) float64 {
	z := (x - g.Mu) / g.Sigma
	return math.Exp(-0.5*z*z) / (g.Sigma * math.Sqrt(2*math.Pi))
}

// Sample draws n values.
func (g Gaussian) Sample(rng *rand.Rand, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = g.Mu + g.Sigma*rng.NormFloat64()
	}
	return out
}

func (g Gaussian) String() string { return fmt.Sprintf("N(%g, %g²)", g.Mu, g.Sigma) }

// Uniform is the uniform distribution on [Lo, Hi]. At its two endpoints the density is half its
// height, the mean of the one-sided limits: a quadrature rule with a node at the jump (Simpson's,
// with the endpoint on a panel boundary) then integrates it exactly.
type Uniform struct{ Lo, Hi float64 }

// Density is 1/(Hi − Lo) inside, half that at the endpoints, 0 outside.
func (u Uniform) Density(x float64) float64 {
	switch {
	case x < u.Lo || x > u.Hi:
		return 0
	case x == u.Lo || x == u.Hi:
		return 0.5 / (u.Hi - u.Lo)
	}
	return 1 / (u.Hi - u.Lo)
}

// Sample draws n values.
func (u Uniform) Sample(rng *rand.Rand, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = u.Lo + (u.Hi-u.Lo)*rng.Float64()
	}
	return out
}

func (u Uniform) String() string { return fmt.Sprintf("U[%g, %g]", u.Lo, u.Hi) }

// Laplace is the double-exponential distribution with location Mu and scale B: heavier tails
// than a Gaussian (its density falls as e^(−|x|/B), not e^(−x²/2)).
type Laplace struct{ Mu, B float64 }

// Density is exp(−|x − Mu|/B) / (2B).
func (l Laplace) Density(x float64) float64 { return math.Exp(-math.Abs(x-l.Mu)/l.B) / (2 * l.B) }

// Sample draws n values (the difference of two exponentials).
func (l Laplace) Sample(rng *rand.Rand, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = l.Mu + l.B*(rng.ExpFloat64()-rng.ExpFloat64())
	}
	return out
}

func (l Laplace) String() string { return fmt.Sprintf("Laplace(%g, %g)", l.Mu, l.B) }

// Mixture is a weighted mixture of Gaussians; weights are normalized.
type Mixture struct {
	Components []Gaussian
	Weights    []float64
}

// NewMixture validates and normalizes the weights.
func NewMixture(components []Gaussian, weights []float64) (*Mixture, error) {
	if len(components) == 0 || len(components) != len(weights) {
		return nil, fmt.Errorf("mixture: %d components and %d weights", len(components), len(weights))
	}
	total := 0.0
	for i, w := range weights {
		if w < 0 || math.IsNaN(w) || components[i].Sigma <= 0 {
			return nil, fmt.Errorf("mixture: component %d has weight %g, sigma %g", i, w, components[i].Sigma)
		}
		total += w
	}
	if total <= 0 {
		return nil, fmt.Errorf("mixture: weights sum to %g", total)
	}
	norm := make([]float64, len(weights))
	for i, w := range weights {
		norm[i] = w / total
	}
	return &Mixture{Components: components, Weights: norm}, nil
}

// Density is Σ w_k N(x; μ_k, σ_k²).
func (m *Mixture) Density(x float64) float64 {
	p := 0.0
	for i, c := range m.Components {
		p += m.Weights[i] * c.Density(x)
	}
	return p
}

// Sample draws n values.
func (m *Mixture) Sample(rng *rand.Rand, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		c := m.Components[pick(rng, m.Weights)]
		out[i] = c.Mu + c.Sigma*rng.NormFloat64()
	}
	return out
}

func (m *Mixture) String() string {
	s := ""
	for i, c := range m.Components {
		if i > 0 {
			s += " + "
		}
		s += fmt.Sprintf("%.2g·%s", m.Weights[i], c)
	}
	return s
}

func pick(rng *rand.Rand, weights []float64) int {
	u := rng.Float64()
	for i, w := range weights {
		if u < w {
			return i
		}
		u -= w
	}
	return len(weights) - 1
}

// GaussianModes2D is an equal-weight mixture of isotropic 2-D Gaussians (std Sigma) at Centers.
type GaussianModes2D struct {
	Centers [][2]float64
	Sigma   float64
	Name    string
}

// Ring returns k modes evenly spaced on a circle of the given radius (the "ring of 8
// Gaussians" of the mode-collapse literature: k = 8, radius 2, sigma 0.02–0.05).
func Ring(k int, radius, sigma float64) *GaussianModes2D {
	c := make([][2]float64, k)
	for i := range c {
		a := 2 * math.Pi * float64(i) / float64(k)
		c[i] = [2]float64{radius * math.Cos(a), radius * math.Sin(a)}
	}
	return &GaussianModes2D{Centers: c, Sigma: sigma, Name: fmt.Sprintf("ring of %d (r=%g, σ=%g)", k, radius, sigma)}
}

// Grid returns side×side modes on a square grid centred at the origin with the given spacing.
func Grid(side int, spacing, sigma float64) *GaussianModes2D {
	var c [][2]float64
	off := float64(side-1) / 2
	for i := range side {
		for j := range side {
			c = append(c, [2]float64{(float64(i) - off) * spacing, (float64(j) - off) * spacing})
		}
	}
	return &GaussianModes2D{Centers: c, Sigma: sigma, Name: fmt.Sprintf("%dx%d grid (spacing %g, σ=%g)", side, side, spacing, sigma)}
}

// Density is the mixture density.
func (m *GaussianModes2D) Density(x, y float64) float64 {
	p := 0.0
	norm := 1 / (2 * math.Pi * m.Sigma * m.Sigma * float64(len(m.Centers)))
	for _, c := range m.Centers {
		dx, dy := x-c[0], y-c[1]
		p += math.Exp(-(dx*dx + dy*dy) / (2 * m.Sigma * m.Sigma))
	}
	return p * norm
}

// Sample draws n points.
func (m *GaussianModes2D) Sample(rng *rand.Rand, n int) [][2]float64 {
	out := make([][2]float64, n)
	for i := range out {
		c := m.Centers[rng.IntN(len(m.Centers))]
		out[i] = [2]float64{c[0] + m.Sigma*rng.NormFloat64(), c[1] + m.Sigma*rng.NormFloat64()}
	}
	return out
}

// Modes returns the centres.
func (m *GaussianModes2D) Modes() [][2]float64 { return m.Centers }

// ModeSigma is the per-mode standard deviation.
func (m *GaussianModes2D) ModeSigma() float64 { return m.Sigma }

func (m *GaussianModes2D) String() string { return m.Name }
