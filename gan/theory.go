package gan

import (
	"fmt"
	"math"
)

// Density is a probability density on the real line.
type Density func(x float64) float64

// Grid is the integration grid for the theory functions: Simpson's rule on [Lo, Hi] with N
// intervals (N even). The defaults integrate Gaussian densities to ~1e-12.
type Grid struct {
	Lo, Hi float64
	N      int
}

// DefaultGrid covers densities that live within about ±25 of the origin.
var DefaultGrid = Grid{Lo: -30, Hi: 30, N: 60000}

// Integrate computes ∫ f over the grid by composite Simpson's rule.
func (g Grid) Integrate(f func(x float64) float64) float64 {
	n := g.N
	if n%2 == 1 {
		n++
	}
	h := (g.Hi - g.Lo) / float64(n)
	sum := f(g.Lo) + f(g.Hi)
	for i := 1; i < n; i++ {
		w := 2.0
		if i%2 == 1 {
			w = 4
		}
		sum += w * f(g.Lo+float64(i)*h)
	}
	return sum * h / 3
}

// xlogy returns x·log(y) with the convention 0·log(0) = 0 (the limit used in the paper's
// integrals wherever a density vanishes).
func xlogy(x, y float64) float64 {
	if x == 0 {
		return 0
	}
	return x * math.Log(y)
}

// ValueFunction computes the GAN value function for densities pData, pG and a discriminator D
// (Eq. 2, 4–5 of docs/equations.md; Goodfellow et al. 2014, Eq. 1 written as an integral over x):
//
//	V(D, G) = ∫ p_data(x) log D(x) + p_g(x) log(1 − D(x)) dx.
//
// Where D(x) rounds to exactly 0 or 1 the log is taken of the smallest float64 instead (−744.4):
// in floating point that happens only where the density it multiplies is below ~1e-16 of the
// other, so the term is negligible, not −∞.
func ValueFunction(pData, pG Density, d func(x float64) float64, grid Grid) float64 {
	const tiny = math.SmallestNonzeroFloat64
	return grid.Integrate(func(x float64) float64 {
		dx := d(x)
		return xlogy(pData(x), max(dx, tiny)) + xlogy(pG(x), max(1-dx, tiny))
	})
}

// OptimalDiscriminator returns D*(x) = p_data(x) / (p_data(x) + p_g(x)) (Eq. 7–9, docs/equations.md;
// Goodfellow et al. Proposition 1, Eq. 2): for fixed G, y ↦ a·log y + b·log(1 − y) peaks at
// y = a/(a+b). Where both densities vanish D* is undefined; it returns 1/2 there.
func OptimalDiscriminator(pData, pG Density) func(x float64) float64 {
	return func(x float64) float64 {
		a, b := pData(x), pG(x)
		if a+b == 0 {
			return 0.5
		}
		return a / (a + b)
	}
}

// KL computes the Kullback–Leibler divergence KL(p‖q) = ∫ p log(p/q) in nats. It is +Inf when
// p has mass where q has none.
func KL(p, q Density, grid Grid) float64 {
	return grid.Integrate(func(x float64) float64 {
		a, b := p(x), q(x)
		if a == 0 {
			return 0
		}
		if b == 0 {
			return math.Inf(1)
		}
		return a * math.Log(a/b)
	})
}

// JS computes the Jensen–Shannon divergence from its definition, JS(p‖q) = ½ KL(p‖m) +
// ½ KL(q‖m) with the mixture m = (p+q)/2, in nats: 0 when p = q, at most log 2 (reached when
// the supports are disjoint).
func JS(p, q Density, grid Grid) float64 {
	m := func(x float64) float64 {
		sum := p(x) + q(x)
		if sum == 0 {
			return 0
		}
		return max(sum/2, math.SmallestNonzeroFloat64) // halving the smallest subnormal rounds to 0
	}
	return KL(p, m, grid)/2 + KL(q, m, grid)/2
}

// TheoryCheck is one row of `ganlab theory`: V(D*, G) next to 2·JS(p_data‖p_g) − 2·log 2
// (Eq. 10–13, docs/equations.md; Goodfellow et al. Theorem 1, Eq. 5–6), computed independently of each other.
type TheoryCheck struct {
	Name           string  `json:"pair"`
	VOptimal       float64 `json:"v_direct"`          // V(D*, G): ValueFunction with OptimalDiscriminator
	JS             float64 `json:"js_kl"`             // JS from its definition through KL and the mixture
	TwoJSMinusLog4 float64 `json:"two_js_minus_log4"` // 2·JS − 2·log 2
	Difference     float64 `json:"difference"`        // VOptimal − TwoJSMinusLog4
	KLDataToGen    float64 `json:"-"`                 // +Inf for disjoint supports, which JSON cannot hold
}

// CheckIdentity computes both sides of V(D*, G) = 2·JS(p_data‖p_g) − 2·log 2 by two different
// integrals: the value function of Eq. 2 with D* plugged in, and JS from the KL divergences to
// the mixture. Only the theorem makes them equal.
func CheckIdentity(name string, pData, pG Density, grid Grid) TheoryCheck {
	v := ValueFunction(pData, pG, OptimalDiscriminator(pData, pG), grid)
	js := JS(pData, pG, grid)
	rhs := 2*js - 2*math.Log(2)
	return TheoryCheck{Name: name, VOptimal: v, JS: js, TwoJSMinusLog4: rhs, Difference: v - rhs, KLDataToGen: KL(pData, pG, grid)}
}

func (c TheoryCheck) String() string {
	return fmt.Sprintf("%-34s V(D*,G)=%+.9f  2JS-2log2=%+.9f  diff=%+.1e  JS=%.6f", c.Name, c.VOptimal, c.TwoJSMinusLog4, c.Difference, c.JS)
}

// CrossEntropyLosses returns the discriminator and generator losses of a batch written as binary
// cross-entropies (Eq. 14–15, docs/equations.md): with labels 1 for real and 0 for generated,
//
//	L_D = −(1/m) Σ [log D(x_i) + log(1 − D(G(z_i)))] = −V̂(D, G),
//	L_G(minimax) = (1/m) Σ log(1 − D(G(z_i))),   L_G(non-saturating) = −(1/m) Σ log D(G(z_i)),
//
// so minimizing the discriminator's cross-entropy is the ascent on V of Eq. 16, and the
// generator's minimax loss is V's fake term (Eq. 17).
func CrossEntropyLosses(dReal, dFake []float64) (lossD, lossGMinimax, lossGNonSaturating float64) {
	bce := func(p, label float64) float64 { return -(label*math.Log(p) + (1-label)*math.Log(1-p)) }
	for _, p := range dReal {
		lossD += bce(p, 1) / float64(len(dReal))
	}
	for _, p := range dFake {
		lossD += bce(p, 0) / float64(len(dFake))
		lossGMinimax += math.Log(1-p) / float64(len(dFake))
		lossGNonSaturating += bce(p, 1) / float64(len(dFake))
	}
	return
}

// BatchValue is the Monte-Carlo estimate of V(D, G) on a batch: mean log D(x) + mean log(1 − D(G(z))).
func BatchValue(dReal, dFake []float64) float64 {
	v := 0.0
	for _, p := range dReal {
		v += math.Log(p) / float64(len(dReal))
	}
	for _, p := range dFake {
		v += math.Log(1-p) / float64(len(dFake))
	}
	return v
}
