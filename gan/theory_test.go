package gan

import (
	"math"
	"testing"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/datasets"
)

func TestIdentityVOptimalEquals2JSMinusLog4(t *testing.T) {
	for _, p := range StandardTheoryPairs() {
		c := CheckIdentity(p.Name, p.Data.Density, p.Gen.Density, DefaultGrid)
		if math.Abs(c.Difference) >= 1e-6 {
			t.Errorf("%s: V(D*,G) − (2JS − 2log2) = %g", p.Name, c.Difference)
		}
	}
	// Equal distributions: the global minimum −log 4 and JS = 0 (Theorem 1).
	g := datasets.Gaussian{Mu: 0, Sigma: 1}
	c := CheckIdentity("equal", g.Density, g.Density, DefaultGrid)
	if math.Abs(c.VOptimal+math.Log(4)) > 1e-9 || math.Abs(c.JS) > 1e-12 {
		t.Fatalf("equal densities: V(D*,G) = %g (want −log 4), JS = %g", c.VOptimal, c.JS)
	}
	// Disjoint supports: JS → log 2, V(D*,G) → 0.
	far := datasets.Gaussian{Mu: 20, Sigma: 0.5}
	c = CheckIdentity("far", g.Density, far.Density, Grid{Lo: -10, Hi: 30, N: 80000})
	if math.Abs(c.JS-math.Log(2)) > 1e-6 {
		t.Fatalf("far apart: JS = %g, want log 2", c.JS)
	}
}

// TestOptimalDiscriminatorMaximizesV checks Proposition 1: any other discriminator has a lower
// value, and y ↦ a log y + b log(1−y) peaks at a/(a+b).
func TestOptimalDiscriminatorMaximizesV(t *testing.T) {
	pd, pg := datasets.Gaussian{Mu: 0, Sigma: 1}, datasets.Gaussian{Mu: 1, Sigma: 1.5}
	dStar := OptimalDiscriminator(pd.Density, pg.Density)
	vStar := ValueFunction(pd.Density, pg.Density, dStar, DefaultGrid)
	for _, eps := range []float64{0.05, -0.05, 0.2} {
		perturbed := func(x float64) float64 { return math.Min(math.Max(dStar(x)+eps*math.Sin(x), 1e-6), 1-1e-6) }
		if v := ValueFunction(pd.Density, pg.Density, perturbed, DefaultGrid); v >= vStar {
			t.Fatalf("perturbed D (eps %g) has V = %g ≥ V(D*) = %g", eps, v, vStar)
		}
	}
	a, b := 0.3, 0.7
	best, bestY := math.Inf(-1), 0.0
	for y := 0.001; y < 1; y += 0.001 {
		if v := a*math.Log(y) + b*math.Log(1-y); v > best {
			best, bestY = v, y
		}
	}
	if math.Abs(bestY-a/(a+b)) > 0.001 {
		t.Fatalf("argmax = %g, want %g", bestY, a/(a+b))
	}
}

func TestCrossEntropyLossesAreMinusV(t *testing.T) {
	dReal := []float64{0.9, 0.7, 0.6, 0.95}
	dFake := []float64{0.1, 0.3, 0.5, 0.2}
	lossD, lossGMinimax, lossGNS := CrossEntropyLosses(dReal, dFake)
	v := BatchValue(dReal, dFake)
	if math.Abs(lossD+v) > 1e-12 {
		t.Fatalf("L_D = %g, −V̂ = %g", lossD, -v)
	}
	fakeTerm := 0.0
	for _, p := range dFake {
		fakeTerm += math.Log(1-p) / 4
	}
	if math.Abs(lossGMinimax-fakeTerm) > 1e-12 || lossGNS <= 0 {
		t.Fatalf("generator losses %g, %g", lossGMinimax, lossGNS)
	}
}

func TestInterpolateLatent(t *testing.T) {
	z0, z1 := []float32{1, 0}, []float32{0, 1}
	lin, err := InterpolateLatent(z0, z1, 3, false)
	if err != nil {
		t.Fatal(err)
	}
	sph, _ := InterpolateLatent(z0, z1, 3, true)
	l, s := lin.Value().([][]float32), sph.Value().([][]float32)
	if l[1][0] != 0.5 || l[1][1] != 0.5 {
		t.Fatalf("linear midpoint %v", l[1])
	}
	// The spherical midpoint of two orthogonal unit vectors has norm 1 (the linear one 1/√2).
	if n := math.Hypot(float64(s[1][0]), float64(s[1][1])); math.Abs(n-1) > 1e-6 {
		t.Fatalf("slerp midpoint %v has norm %g", s[1], n)
	}
	if s[0][0] != 1 || math.Abs(float64(s[2][1])-1) > 1e-6 {
		t.Fatalf("slerp endpoints %v", s)
	}
	if _, err := InterpolateLatent(z0, []float32{1}, 3, true); err == nil {
		t.Fatal("mismatched sizes accepted")
	}
}

// TestIdentityFromSamples: the Monte-Carlo estimate of V(D*, G) agrees with the quadrature within
// four standard errors on every pair, and a discriminator network trained on samples reaches a
// value at most V(D*, G) and close below it.
func TestIdentityFromSamples(t *testing.T) {
	b := backend.MustNew("go")
	for _, p := range StandardTheoryPairs() {
		c := CheckIdentity(p.Name, p.Data.Density, p.Gen.Density, DefaultGrid)
		v, se := MonteCarloValue(p.Data, p.Gen, 20000, 1)
		if math.Abs(v-c.VOptimal) > 4*se+1e-12 {
			t.Errorf("%s: Monte Carlo %g ± %g, quadrature %g", p.Name, v, se, c.VOptimal)
		}
		trained, err := TrainedValue(b, p.Data, p.Gen, TheoryTrainingSteps, 1, DefaultGrid)
		if err != nil {
			t.Fatal(err)
		}
		if trained > c.VOptimal+1e-9 || trained < c.VOptimal-0.02 {
			t.Errorf("%s: trained discriminator V = %g, V(D*) = %g: want just below", p.Name, trained, c.VOptimal)
		}
	}
}

// TestTheoryReportHolds: the checks of `ganlab theory` fail when either comparison does.
func TestTheoryReportHolds(t *testing.T) {
	ok := TheoryReport{TheoryCheck: TheoryCheck{Difference: 1e-9}, VMCStdErr: 0.01, MCDiff: 0.03}
	if !ok.Holds() {
		t.Fatal("a report within the bounds fails")
	}
	for _, bad := range []TheoryReport{
		{TheoryCheck: TheoryCheck{Difference: 2e-6}, VMCStdErr: 0.01},
		{VMCStdErr: 0.01, MCDiff: 0.05},
	} {
		if bad.Holds() {
			t.Errorf("%+v passes", bad)
		}
	}
}
