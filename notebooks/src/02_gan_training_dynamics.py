from ipynb import QUICK, SETUP

CELLS = [
("markdown", r'''
# 02 · GAN training dynamics: Figure 1 from real training, k, and the generator's loss

Goodfellow et al. (2014), Figure 1, sketches a GAN learning a 1-D distribution: the discriminator (blue, dashed)
approaches $D^* = p_\text{data}/(p_\text{data}+p_g)$, its gradient guides $G$ to move $p_g$ (green) onto
$p_\text{data}$ (black, dotted), and at the end $D = \tfrac12$ everywhere. Here we **train** such a GAN with the `gan`
package (Algorithm 1: $k$ discriminator steps per generator step) and draw the same four panels from the real run.
Then: how far $D$ is from $D^*$ and how JS($p_\text{data}\|p_g$) falls over training; the minimax against the
non-saturating generator loss; $k = 1$ against $k = 5$; and a 2-D ring of 8 Gaussians, where mode collapse shows.

**How $p_g$ is estimated.** $z$ is 1-D, so $G$ is evaluated at 20 000 quantiles of $p_z$ and $p_g$ is a Gaussian kernel
density estimate of those points (Silverman's bandwidth). JS is integrated by Simpson's rule on $\mu \pm 6\sigma$;
$|D - D^*|$ is averaged over the data's bulk $\mu \pm 2\sigma$, weighted by $p_\text{data}$.

Set `GANLAB_QUICK=1` to shorten every run (the CI does); the committed outputs come from a full run.
'''),
("code", SETUP),
("code", r'''
import (
	"fmt"
	"os"

	"github.com/janpfeifer/must"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/plotting"
)
''' + QUICK + r'''
var data1D = datasets.Gaussian{Mu: 4, Sigma: 1.25}

// train1D trains a 1-D GAN for steps generator steps and analyses it every `every` steps.
func train1D(cfg gan.Config, steps, every int) (*gan.Trainer, []*gan.Snapshot1D) {
	g, d := gan.Toy1DModels()
	tr := must.M1(gan.NewTrainer(backend.MustNew(""), cfg, g, d, &gan.Toy1D{Dist: data1D, Seed: cfg.Seed}))
	var snaps []*gan.Snapshot1D
	for tr.Step() < steps {
		must.M1(tr.TrainStep())
		if tr.Step() == 1 || tr.Step()%every == 0 {
			snaps = append(snaps, must.M1(tr.Analyze1D(data1D, -3.5, 11.5, 601, 4, 1.25)))
		}
	}
	return tr, snaps
}
'''),
("markdown", r'''
## 1 · Figure 1, from a real run

`gan.Toy1DConfig()`: batch 256, $k = 5$, Adam with learning rates $10^{-3}$ for $D$ and $2\cdot10^{-4}$ for $G$, 1-D normal $z$,
two tanh layers of 32 in $G$, two LeakyReLU layers of 32 in $D$. Panels: the start, two intermediate steps, the end.
'''),
("code", r'''
%%
steps := quick(4000, 400)
_, snaps := train1D(gan.Toy1DConfig(), steps, steps/20)
n := len(snaps)
plotting.Show(gan.Figure1(snaps[0], snaps[n/3], snaps[2*n/3], snaps[n-1]))
last := snaps[n-1]
fmt.Printf("after %d steps: JS(p_data‖p_g) = %.5f nats, mean |D − D*| over μ±2σ = %.4f\n", last.Step, last.JS, last.MeanAbsDMinusDStar)
fmt.Printf("acceptance (full run): JS < 0.01: %v, |D − D*| < 0.05: %v\n", last.JS < 0.01, last.MeanAbsDMinusDStar < 0.05)
''', ["figure"]),
("markdown", r'''
Reading the panels: early on $D$ is far from $D^*$ and $p_g$ is narrow and misplaced; the lines from $z$ to $x$ show $G$
stretching and shifting the noise; at the end $p_g \approx p_\text{data}$ and $D \approx \tfrac12$ over the data's bulk.
Outside the bulk $D$ is unconstrained (neither real nor generated samples reach there), so its value there means nothing.

## 2 · $D$ approaches $D^*$, JS falls

(A GoNB cell runs as its own program, so each cell below trains what it shows; the seeds make the runs identical.)
'''),
("code", r'''
%%
steps := quick(4000, 400)
tr, snaps := train1D(gan.Toy1DConfig(), steps, steps/20)
var xs, js, dd []float64
for _, s := range snaps {
	xs, js, dd = append(xs, float64(s.Step)), append(js, s.JS), append(dd, s.MeanAbsDMinusDStar)
}
p1 := plotting.Curves("JS(p_data ‖ p_g)", "generator step", "nats", 0, plotting.Series{Name: "JS", X: xs, Y: js})
p2 := plotting.Curves("mean |D − D*| over μ ± 2σ", "generator step", "|D − D*|", 0, plotting.Series{Name: "|D − D*|", X: xs, Y: dd})
plotting.ShowPlots(p1, p2)
plotting.Show(tr.History.TrainingFigure(50))
''', ["figure"]),
("markdown", r'''
The training curves are the diagnostics that tell a working run from a failing one: at equilibrium the discriminator's
loss sits near $2\log 2 \approx 1.386$ and both mean outputs near ½. A run where $D(x) \to 1$ and $D(G(z)) \to 0$ has a
discriminator that wins outright; its gradients to $G$ then vanish (with the minimax loss) and $G$ stops learning.

## 3 · Minimax against non-saturating generator loss

Same seed, same everything, only the generator's loss differs: $\log(1 - D(G(z)))$ (the value function itself, seed
Eq. 17) against $-\log D(G(z))$.
'''),
("code", r'''
%%
stepsLoss := quick(3000, 300)
curves := []plotting.Series{}
for _, loss := range []gan.GeneratorLoss{gan.Minimax, gan.NonSaturating} {
	cfg := gan.Toy1DConfig()
	cfg.Loss = loss
	_, snaps := train1D(cfg, stepsLoss, stepsLoss/15)
	var xs, js []float64
	for _, s := range snaps {
		xs, js = append(xs, float64(s.Step)), append(js, s.JS)
	}
	curves = append(curves, plotting.Series{Name: loss.String(), X: xs, Y: js})
	fmt.Printf("%-14s final JS = %.4f nats\n", loss, js[len(js)-1])
}
plotting.ShowPlots(plotting.Curves("JS(p_data ‖ p_g) by generator loss", "generator step", "nats", 0, curves...))
''', ["figure"]),
("markdown", r'''
## 4 · $k = 1$ against $k = 5$ discriminator steps per generator step

Algorithm 1 keeps $D$ near its optimum by giving it $k$ updates per generator update. With $k = 1$ here the discriminator
never gets ahead: it stays near ½ everywhere, gives $G$ no useful direction, and JS stalls. (Quick mode,
`GANLAB_QUICK=1`, trains 400 steps: too few for this comparison, and there $k = 1$ can end below $k = 5$.)
'''),
("code", r'''
%%
steps := quick(4000, 400)
series := []plotting.Series{}
for _, k := range []int{1, 5} {
	cfg := gan.Toy1DConfig()
	cfg.K = k
	_, snaps := train1D(cfg, steps, steps/20)
	run := struct {
		name  string
		snaps []*gan.Snapshot1D
	}{fmt.Sprintf("k = %d", k), snaps}
	var xs, js []float64
	for _, s := range run.snaps {
		xs, js = append(xs, float64(s.Step)), append(js, s.JS)
	}
	series = append(series, plotting.Series{Name: run.name, X: xs, Y: js})
	fmt.Printf("%s: final JS = %.4f nats, |D − D*| = %.3f\n", run.name, js[len(js)-1], run.snaps[len(run.snaps)-1].MeanAbsDMinusDStar)
}
plotting.ShowPlots(plotting.Curves("JS(p_data ‖ p_g): k = 1 vs k = 5", "generator step", "nats", 0, series...))
''', ["figure"]),
("markdown", r'''
## 5 · A ring of 8 Gaussians: mode coverage over time

$p_\text{data}$: 8 Gaussians (σ = 0.05) on a circle of radius 2; 2-D normal $z$; three ReLU layers of 128 in each network.
A mode counts as **covered** when at least a quarter of its fair share of 2000 samples (0.25/8) lies within 3σ of it;
we also report the share of all samples within 3σ of some mode. When the generator drops modes (mode collapse), it shows here.
The 2000 samples come from fixed noise vectors (`gan.ProgressNoiseSeed`), so measuring leaves the training noise alone:
this is the run `ganlab train gan2d` makes, with the same numbers. (Quick mode trains 300 steps: the samples have not
reached the ring yet and cover none of the modes.)
'''),
("code", r'''
import "gonum.org/v1/plot"

%%
ring := datasets.Ring(8, 2, 0.05)
cfg := gan.DefaultConfig()
cfg.LatentDim, cfg.BatchSize, cfg.LearningRateD, cfg.LearningRateG = 2, 256, 1e-3, 1e-3
g, d := gan.Toy2DModels()
tr := must.M1(gan.NewTrainer(backend.MustNew(""), cfg, g, d, &gan.Toy2D{Dist: ring, Seed: cfg.Seed}))
steps := quick(3000, 300)
shots := map[int]bool{1: true, steps / 3: true, 2 * steps / 3: true, steps: true}
var at, covered, highQ []float64
var ringPlots []*plot.Plot
var last gan.ModeCoverage
z := must.M1(gan.FixedNoise(2000, cfg.LatentDim, gan.ProgressNoiseSeed))
for tr.Step() < steps {
	must.M1(tr.TrainStep())
	if tr.Step()%max(steps/20, 1) == 0 || shots[tr.Step()] {
		pts := must.M1(tr.Generate2D(z))
		last = gan.CoverModes(pts, ring.Modes(), 0.05, 0.25/8)
		at, covered, highQ = append(at, float64(tr.Step())), append(covered, float64(last.Covered)), append(highQ, last.HighQuality)
		if shots[tr.Step()] {
			ringPlots = append(ringPlots, plotting.Scatter2D(fmt.Sprintf("step %d: %d/8 modes", tr.Step(), last.Covered), pts, ring.Modes(), 0.15))
		}
	}
}
plotting.Show(plotting.Render(3.6*72, 3.6*72, ringPlots...))
pc := plotting.Curves("modes covered (of 8)", "generator step", "modes", 0, plotting.Series{Name: "covered", X: at, Y: covered})
pc.Y.Min, pc.Y.Max = 0, 8.5
ph := plotting.Curves("share of samples within 3σ of a mode", "generator step", "share", 0, plotting.Series{Name: "within 3σ", X: at, Y: highQ})
ph.Y.Min, ph.Y.Max = 0, 1
plotting.ShowPlots(pc, ph)
fmt.Printf("final (step %d): %d of 8 modes covered; %.1f%% of samples within 3σ of a mode\n", tr.Step(), last.Covered, 100*last.HighQuality)
''', ["figure"]),
("markdown", r'''
A mode that empties and never refills is the generator **collapsing** onto the others: $G$ gains nothing by covering
a mode that $D$ currently accepts anyway, and once a mode is empty the discriminator's gradient rarely pulls samples back
across the empty space between modes. The samples strung between modes are the generator's continuous map from $z$
passing through low-density regions: a 2-D normal $z$ cannot be cut into 8 pieces by a continuous $G$.
'''),
]
