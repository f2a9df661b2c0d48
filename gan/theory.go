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
// (seed Eq. 2, 4–6; Goodfellow et al. 2014, Eq. 1 written as an integral over x, their Eq. 3):
//
//	V(D, G) = ∫ p_data(x) log D(x) + p_g(x) log(1 − D(x)) dx.
func ValueFunction(pData, pG Density, d func(x float64) float64, grid Grid) float64 {
	return grid.Integrate(func(x float64) float64 {
		dx := d(x)
		return xlogy(pData(x), dx) + xlogy(pG(x), 1-dx)
	})
}

// OptimalDiscriminator returns D*(x) = p_data(x) / (p_data(x) + p_g(x)) (seed Eq. 7–9;
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

// JS computes the Jensen–Shannon divergence JS(p‖q) = ½ KL(p‖m) + ½ KL(q‖m), m = (p+q)/2,
// in nats: 0 when p = q, at most log 2.
//
// It integrates ½ [p log(2p/(p+q)) + q log(2q/(p+q))], the same quantity written without m, so
// that a density that underflows (m = p/2 rounding to 0) cannot produce log(0).
func JS(p, q Density, grid Grid) float64 {
	return grid.Integrate(func(x float64) float64 {
		a, b := p(x), q(x)
		return 0.5 * (xlogy(a, 2*a/(a+b)) + xlogy(b, 2*b/(a+b)))
	})
}

// OptimalValue is C(G) = V(D*, G) (seed Eq. 10; Goodfellow et al. Eq. 4), integrated in the
// stable form ∫ p_data log(p_data/(p_data+p_g)) + p_g log(p_g/(p_data+p_g)): writing 1 − D*(x)
// as p_g/(p_data+p_g) avoids log(0) where D* rounds to 1 although p_g > 0.
func OptimalValue(pData, pG Density, grid Grid) float64 {
	return grid.Integrate(func(x float64) float64 {
		a, b := pData(x), pG(x)
		return xlogy(a, a/(a+b)) + xlogy(b, b/(a+b))
	})
}

// TheoryCheck is one row of `ganlab theory`: V(D*, G) computed by integration next to
// 2·JS(p_data‖p_g) − 2·log 2 (seed Eq. 10–13; Goodfellow et al. Theorem 1, Eq. 5–6), whose
// difference must vanish up to quadrature error.
type TheoryCheck struct {
	Name            string
	VOptimal        float64 // V(D*, G)
	TwoJSMinusLog4  float64 // 2·JS − 2·log 2
	Difference      float64 // VOptimal − TwoJSMinusLog4
	JS, KLDataToGen float64
}

// CheckIdentity computes both sides of V(D*, G) = 2·JS(p_data‖p_g) − 2·log 2.
func CheckIdentity(name string, pData, pG Density, grid Grid) TheoryCheck {
	v := OptimalValue(pData, pG, grid)
	js := JS(pData, pG, grid)
	rhs := 2*js - 2*math.Log(2)
	return TheoryCheck{Name: name, VOptimal: v, TwoJSMinusLog4: rhs, Difference: v - rhs, JS: js, KLDataToGen: KL(pData, pG, grid)}
}

func (c TheoryCheck) String() string {
	return fmt.Sprintf("%-34s V(D*,G)=%+.9f  2JS-2log2=%+.9f  diff=%+.1e  JS=%.6f", c.Name, c.VOptimal, c.TwoJSMinusLog4, c.Difference, c.JS)
}

// CrossEntropyLosses returns the discriminator and generator losses of a batch written as binary
// cross-entropies (seed Eq. 14–15): with labels 1 for real and 0 for generated,
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
