from ipynb import QUICK, SETUP

CELLS = [
("markdown", r'''
# 04 · DCGAN: the architecture rules, the pretrained MNIST generator, metrics

Radford, Metz & Chintala (2015) made GANs train reliably with convolutions by a handful of rules (§3): strided and
fractionally strided (transposed) convolutions instead of pooling; batch norm in both networks (not at G's output
nor at D's input); no fully connected hidden layers; ReLU in G with a tanh output; LeakyReLU in D. This notebook
checks those rules on the models `dcgan` builds, then studies the shipped **pretrained DCGAN-MNIST generator**
(the paper's architecture at 32×32×1, trained on MNIST padded to 32×32; `pretrained/README.md` has the commands and
seed): its samples, training curves, the training progress, the score of every checkpoint, latent interpolation, and
its metrics from `eval` against real images. A short training run of the TF tutorial's 28×28 model shows the same
code training here; the last section samples and measures the shipped paper's 64×64×3 model, trained on synthetic
faces.

`GANLAB_QUICK=1` shortens the measurements and the training run; the committed outputs come from a full run.
'''),
("code", SETUP),
("code", r'''
import (
	"fmt"
	"image/png"
	"math"
	"os"
	"sort"
	"strings"

	"github.com/janpfeifer/must"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/dcgan"
	"github.com/ganlab/ganlab/eval"
	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/plotting"
	"github.com/ganlab/ganlab/pretrained"
)
''' + QUICK + r'''
// loadPretrained loads the shipped DCGAN-MNIST generator (and its architecture) and seeds its noise.
func loadPretrained(seed uint64) (*gan.Model, dcgan.Config) {
	tr, c := must.M2(dcgan.LoadGenerator(backend.MustNew(""), must.M1(pretrained.Path("dcgan-mnist.gob"))))
	must.M(tr.Store.SetRNGStateFromSeed(int64(seed)))
	return tr, c
}
'''),
("markdown", r'''
## 1 · The rules, checked on the built models

`dcgan.CheckRules` builds each model's G and D in one graph and reads its operations: each weighted layer (a matrix
product or convolution with a weight variable), the shapes before and after it, whether batch statistics normalize it,
and the activation that follows. It does not look at the configuration. The paper's 64×64×3 model and its 32×32×1
version (the shipped generator's architecture) meet all five guidelines. The TF tutorial's MNIST model (trained in
section 5) departs from three, as the tutorial does: Dense layers at both ends, dropout instead of batch norm in D, and
LeakyReLU in G.
'''),
("code", r'''
%%
b := backend.MustNew("")
mnist32 := dcgan.Paper64() // the shipped generator's architecture
mnist32.ImageSize, mnist32.Channels, mnist32.BaseWidth = 32, 1, 128
for _, preset := range []dcgan.Config{dcgan.Paper64(), mnist32, dcgan.MNIST()} {
	rules := must.M1(dcgan.CheckRules(b, preset))
	fmt.Printf("preset %s, %d×%d×%d:\n", preset.Preset, preset.ImageSize, preset.ImageSize, preset.Channels)
	for _, l := range rules.Layers {
		norm := ""
		if l.BatchNorm {
			norm = "batch norm"
		}
		fmt.Printf("    %s %-15s %-14s → %-14s %-10s %s\n", l.Net, l.Op, fmt.Sprint(l.In), fmt.Sprint(l.Out), norm, l.Activation)
	}
	for _, c := range rules.Checks {
		mark := "✓"
		if !c.OK {
			mark = "✗"
		}
		fmt.Printf("  %s %-66s %s\n", mark, c.Rule, c.Detail)
	}
}
'''),
("markdown", r'''
## 2 · The pretrained generator

100 samples from fresh noise (32×32: the 2-pixel border of padded MNIST is part of the image), then the training curves
stored in the generator file (the learning rates were halved at step 12 000), the fixed-noise grids of the run's
checkpoints (every 1000 steps from 2000), and the classifier score of every checkpoint.
'''),
("code", r'''
%%
tr, c := loadPretrained(7)
fmt.Printf("pretrained DCGAN-MNIST: %d generator steps, batch %d, Adam(%g, β1 = %g), %s loss, simultaneous update: %v\n",
	tr.Step(), tr.Config.BatchSize, tr.Config.LearningRateG, tr.Config.Beta1, tr.Config.Loss, tr.Config.Simultaneous)
seconds := 0.0
for _, r := range tr.History.Steps {
	seconds += r.Seconds
}
fmt.Printf("training time: %.0f min of generator steps on the pure-Go backend (2 cores)\n", seconds/60)
plotting.Show(must.M1(gan.ImageGridOf(must.M1(tr.Sample(100)), c.ImageSize, c.ImageSize, 1, 10)))
plotting.Show(tr.History.TrainingFigure(100))
gif := must.M1(os.ReadFile(os.Getenv("GONB_DIR") + "/../docs/figures/dcgan-mnist-progress.gif"))
plotting.ShowGIF(gif)
fmt.Println("the classifier score and Fréchet classifier distance of every checkpoint of that run (section 4 explains them):")
curve := must.M1(os.Open(os.Getenv("GONB_DIR") + "/../docs/figures/dcgan-mnist-score.png"))
defer curve.Close()
plotting.Show(must.M1(png.Decode(curve)))
''', ["figure", "thumbnail"]),
("markdown", r'''
## 3 · Latent interpolation: linear and spherical

Each row walks from one z to another in 10 steps. Gaussian noise in 100 dimensions lives near the sphere of radius
√100 = 10; the straight line between two such points passes closer to the origin (norm ≈ 7 at the midpoint), where
the generator saw little noise during training. Spherical interpolation (slerp) keeps the norm.
'''),
("code", r'''
%%
tr, c := loadPretrained(11)
ends := must.M1(gan.FixedNoise(8, 100, 2024)).Value().([][]float32)
var images []float32
for _, spherical := range []bool{false, true} {
	for row := 0; row < 8; row += 2 {
		z := must.M1(gan.InterpolateLatent(ends[row], ends[row+1], 10, spherical))
		out := must.M1(tr.Generate(z))
		out.MustConstFlatData(func(flat any) { images = append(images, flat.([]float32)...) })
	}
}
imgs := must.M1(plotting.FloatImages(images, 80, c.ImageSize, c.ImageSize, 1))
fmt.Println("rows 1–4: linear; rows 5–8: spherical")
plotting.Show(must.M1(plotting.ImageGrid(imgs, 10, 2, 2)))
''', ["figure"]),
("markdown", r'''
## 4 · Metrics against real images

`eval` uses a classifier trained by ganlab itself (`pretrained/classifier-mnist.gob`): the **classifier score**
(the Inception-score formula, at most 10), the **Fréchet classifier distance** between the Gaussians of its 256
penultimate features on generated images and on the 10 000 MNIST test images, the class histogram, and the mean
distance between two images of a set (a collapsing generator's falls below real images'). The same
report on 10 000 real training images is printed beside it for scale (`ganlab eval dcgan` prints the same table). The
generator's 32×32 images are centre-cropped to the classifier's 28×28 (the padding border) before it sees them.
'''),
("code", r'''
%%
n := quick(10000, 1000)
b := backend.MustNew("")
c := must.M1(eval.LoadClassifier(b, must.M1(pretrained.Path("classifier-mnist.gob"))))
test := must.M1(datasets.LoadMNIST(datasets.Test))
train := must.M1(datasets.LoadMNIST(datasets.Train))
reference := must.M1(c.Reference(eval.SetTensor(test, 0)))
tr, _ := loadPretrained(1)
gen := must.M1(c.Measure("generated", must.M1(tr.Sample(n)), reference, nil))
real := must.M1(c.Measure("real (train)", eval.SetTensor(train, n), reference, nil))
var table strings.Builder
eval.WriteTable(&table, c.Classes, gen, real)
fmt.Printf("classifier test accuracy %.2f%%\n\n%s", 100*c.TestAccuracy, table.String())
var xs, shares, realShares []float64
for i := range c.Classes {
	xs, shares, realShares = append(xs, float64(i)), append(shares, gen.Histogram[i]), append(realShares, real.Histogram[i])
}
p := plotting.Curves("class shares of generated and real digits", "digit", "share", 0,
	plotting.Series{Name: "generated", X: xs, Y: shares}, plotting.Series{Name: "real", X: xs, Y: realShares})
p.Y.Min = 0
plotting.ShowPlots(p)
''', ["figure"]),
("markdown", r'''
**Where the score is lost.** The classifier score is exp(H(y) − E H(y|x)): the entropy of the class histogram (≈ log 10
when the classes are balanced) minus the mean entropy of the classifier's answer per sample. The histogram is nearly
balanced, so the gap to real images lies in E H(y|x). Most samples are as clear as real digits; a minority carries
most of the entropy. Below: the decomposition, the samples the classifier is least sure of — malformed digits, broken
strokes, shapes between two digits — and a walk in z between two clear digits of different classes with the
classifier's answer at each step. Along that walk the classifier's confidence dips for a few steps where the generator
passes from one digit to the next: samples that land in those gaps belong to the unclear minority, beside the
malformed strokes. More width and longer training shrink that minority only slowly (README, DCGAN section).
'''),
("code", r'''
%%
n := quick(5000, 500)
b := backend.MustNew("")
c := must.M1(eval.LoadClassifier(b, must.M1(pretrained.Path("classifier-mnist.gob"))))
tr, cfg := loadPretrained(1)
z := must.M1(gan.FixedNoise(n, tr.Config.LatentDim, 3))
x := must.M1(tr.Generate(z))
probs, _ := must.M2(c.Predict(x))
entropy := func(p []float64) float64 {
	h := 0.0
	for _, v := range p {
		if v > 0 {
			h -= v * math.Log(v)
		}
	}
	return h
}
marginal := make([]float64, len(c.Classes))
order := make([]int, n)
hs := make([]float64, n)
meanH := 0.0
for i, p := range probs {
	for k, v := range p {
		marginal[k] += v / float64(n)
	}
	hs[i], order[i] = entropy(p), i
	meanH += hs[i] / float64(n)
}
sort.Slice(order, func(a, b int) bool { return hs[order[a]] > hs[order[b]] })
worst := 0.0
for _, i := range order[:n/10] {
	worst += hs[i] / float64(n)
}
fmt.Printf("H(y) = %.3f (log 10 = %.3f), E H(y|x) = %.3f, score = exp(%.3f − %.3f) = %.2f\n",
	entropy(marginal), math.Log(10), meanH, entropy(marginal), meanH, math.Exp(entropy(marginal)-meanH))
fmt.Printf("median H(y|x) = %.4f; the 10%% least clear samples carry %.0f%% of E H(y|x)\n", hs[order[n/2]], 100*worst/meanH)
var flat, picked []float32
x.MustConstFlatData(func(f any) { flat = f.([]float32) })
size := cfg.ImageSize * cfg.ImageSize
for _, i := range order[:32] {
	picked = append(picked, flat[i*size:(i+1)*size]...)
}
fmt.Println("the 32 samples the classifier is least sure of:")
plotting.Show(must.M1(plotting.ImageGrid(must.M1(plotting.FloatImages(picked, 32, cfg.ImageSize, cfg.ImageSize, 1)), 16, 2, 2)))

// A walk between the first two clear samples (p > 0.99) of different digits.
zs := z.Value().([][]float32)
first, second := -1, -1
for i, p := range probs {
	k := eval.Argmax(p)
	if p[k] < 0.99 {
		continue
	}
	if first < 0 {
		first = i
	} else if k != eval.Argmax(probs[first]) {
		second = i
		break
	}
}
walk := must.M1(tr.Generate(must.M1(gan.InterpolateLatent(zs[first], zs[second], 12, true))))
walkProbs, _ := must.M2(c.Predict(walk))
var answers []string
for _, p := range walkProbs {
	answers = append(answers, fmt.Sprintf("%s %.2f", c.Classes[eval.Argmax(p)], p[eval.Argmax(p)]))
}
var walkFlat []float32
walk.MustConstFlatData(func(f any) { walkFlat = f.([]float32) })
fmt.Println("spherical walk in z; the classifier's answer at each step:", strings.Join(answers, " · "))
plotting.Show(must.M1(plotting.ImageGrid(must.M1(plotting.FloatImages(walkFlat, 12, cfg.ImageSize, cfg.ImageSize, 1)), 12, 2, 2)))
''', ["figure"]),
("markdown", r'''
**Can the score be bought?** BigGAN's *truncation trick* (Brock et al. 2019) draws z from N(0, 1) cut off at ±τ:
the middle of the prior, where the generator had the most practice, so each sample is surer and the set less diverse.
Here it is measured rather than assumed (`ganlab eval dcgan -truncation τ` gives the same numbers). For this
generator it buys little: on the same noise draws, ±1.5 raises the score by about 0.1 (about the spread between
neighbouring checkpoints, far from what 9.0 would need) and ±2 leaves it where it was; below that it falls, because the
centre of z-space belongs to a few digits, so the class histogram narrows (smallest share) faster than the samples
sharpen — at ±0.5 nearly every sample is the same digit. The shipped numbers above use plain N(0, 1).
'''),
("code", r'''
%%
n := quick(5000, 500)
b := backend.MustNew("")
c := must.M1(eval.LoadClassifier(b, must.M1(pretrained.Path("classifier-mnist.gob"))))
reference := must.M1(c.Reference(eval.SetTensor(must.M1(datasets.LoadMNIST(datasets.Test)), 0)))
tr, _ := loadPretrained(1)
fmt.Printf("%-10s %16s %28s %20s\n", "τ", "classifier score", "Fréchet classifier distance", "smallest class share")
for _, tau := range []float64{0.5, 1, 1.5, 2, 0} {
	z, label := must.M1(gan.FixedNoise(n, tr.Config.LatentDim, 1)), "off" // the same draws, then cut off
	if tau > 0 {
		z, label = must.M1(gan.TruncatedNoise(n, tr.Config.LatentDim, 1, tau)), fmt.Sprintf("±%g", tau)
	}
	r := must.M1(c.Measure(label, must.M1(tr.Generate(z)), reference, nil))
	fmt.Printf("%-10s %16.3f %28.2f %19.1f%%\n", label, r.ClassifierScore, r.FCD, 100*r.MinClassShare)
}
'''),
("markdown", r'''
## 5 · A short training run, here

The TF tutorial's 28×28 model (`dcgan.TutorialModels`, preset `mnist`) and the same trainer, from scratch, for a few
hundred steps of the tutorial's simultaneous update (about a minute on 2 cores, printed below; 10 steps in quick mode). After 300 steps the
samples are digit-sized strokes, most of them slanted bars, and only a few are recognisable digits; digits need a few
thousand steps. Trained on, this model plateaus near a classifier score of 6.7 (docs/dcgan-experiments.md: 6.71 at
step 4000, 6.77 at 7000), which is why the shipped generator uses the paper's architecture.
'''),
("code", r'''
%%
steps := quick(300, 10)
set := must.M1(datasets.LoadMNIST(datasets.Train))
g, d := dcgan.TutorialModels()
cfg := gan.DefaultConfig()
cfg.Simultaneous = true
tr := must.M1(gan.NewTrainer(backend.MustNew(""), cfg, g, d, gan.NewImages(set, 1, false)))
for tr.Step() < steps {
	must.M1(tr.TrainStep())
}
seconds := 0.0
for _, r := range tr.History.Steps {
	seconds += r.Seconds
}
fmt.Printf("%d steps in %.0f s (%.0f ms per step)\n", tr.Step(), seconds, 1000*seconds/float64(tr.Step()))
plotting.Show(must.M1(gan.ImageGridOf(must.M1(tr.Sample(64)), 28, 28, 1, 8)))
plotting.Show(tr.History.TrainingFigure(20))
''', ["figure"]),
("markdown", r'''
## 6 · The paper's 64×64×3 model on synthetic faces

`paper64` is the generator of the notes' Figure 2 (Radford et al.'s Fig. 1), z(100) → 4×4×1024 → 8×8×512 → 16×16×256 →
32×32×128 → 64×64×3. The shipped heads generator (`pretrained/dcgan-heads.gob`) is that model at half the width, as
pytorch/examples' DCGAN builds it by default (4×4×512 → … → 64×64×3, 3.6 M parameters), trained on 20 000 frames of the
400 training identities of the procedural talking heads (`datasets.Heads`, RGB 64×64; notebook 06 animates them).
`pretrained/README.md` has its command; `ganlab sample dcgan -dataset heads` samples it.

**What to expect.** The frames vary in skin, hair colour and style, background, freckles or face paint, glasses, an
open mouth or closed eyes. Plain DCGAN training on them collapsed: the first run drew one head for every z by step
1000, and PyTorch's reference loop, run to step 200, started out the same way, with D far ahead. The shipped run adds
*instance noise*: the same Gaussian noise on every image D sees, real or generated (σ = 0.2, fading linearly to 0 at
step 10 000; at step 3000 it is 0.14), so that D cannot separate clean synthetic frames from grainy samples by the
grain alone. The generator is the weights of step 9000 (≈ 81 minutes of steps on 2 cores; the noise is then at σ =
0.02), not their moving average, which the evaluator below ranked behind at that step (docs/quality.md). The generator
still moves between kinds of face from one few hundred steps to the next (glasses on 6%, 35% and 50% of the samples
at steps 8750, 9000 and 9250), and an earlier run's average over ≈ 1000 steps (β = 0.999) drew blank faces: the
average of such different generators' weights draws none of them. What it draws: distinct heads, light and dark skin,
striped hair of every colour, backgrounds of every colour; eyes on almost every face, mouths, some open. Glasses and
face paint come out as a tangle of coloured pixels rather than thin rims and clean stripes, the faces are grainier
than the real ones and a few are lopsided. The training curves show D ahead (on average D(x) ≈ 0.9, D(G(z)) ≈ 0.1),
with spikes.
'''),
("code", r'''
%%
b := backend.MustNew("")
g, c := must.M2(dcgan.LoadGenerator(b, must.M1(pretrained.Path("dcgan-heads.gob"))))
must.M(g.Store.SetRNGStateFromSeed(7))
weights := "the last step's"
if avg := g.Meta[gan.MetaMovingAverage]; avg != "" {
	weights = "moving average, " + avg
}
fmt.Printf("shipped heads generator: %s preset, %d×%d×%d, base width %d, %d generator steps, batch %d, instance noise %g fading to 0 at step %d, weights: %s\n",
	c.Preset, c.ImageSize, c.ImageSize, c.Channels, c.BaseWidth, g.Step(), g.Config.BatchSize, g.Config.InstanceNoise, g.Config.InstanceNoiseSteps, weights)
real := must.M1(datasets.TrainingImages("heads", 32, 1))
fmt.Println("real training frames:")
plotting.Show(must.M1(gan.ImageGridOf(eval.SetTensor(real, 0), 64, 64, 3, 8)))
fmt.Println("generated (fresh noise):")
plotting.Show(must.M1(gan.ImageGridOf(must.M1(g.Sample(32)), 64, 64, 3, 8)))
plotting.Show(g.History.TrainingFigure(100))
''', ["figure"]),
("markdown", r'''
**Measuring it.** MNIST's classifier cannot judge faces, so ganlab trains a heads evaluator
(`pretrained/classifier-heads-attributes.gob`): the classifier network of section 4 with one softmax per attribute of
a frame — hair style and colour, skin, background, freckles or face paint, glasses, an open mouth, closed eyes — learned
from 20 000 frames of 20 000 other people, whose parameters give the labels. On 2000 frames of the 50 held-out identities it is right 92–100% of
the time for every attribute but one: freckles and face paint, a few pixels each, only 63% (the table's "detail" rows
are the least sure). Its 256 penultimate features give a Fréchet distance; its answers give each attribute value's share. The
real images are `n` training frames, and the reference of both Fréchet distances is `n` *other* training frames, so the
real column is the floor at the same `n` (`ganlab eval dcgan -dataset heads -n 5000` prints the same tables).

**What the numbers show** (full mode, n = 5000; quick mode measures 200 samples, whose numbers are noisier and whose
Fréchet distances are biased upward). The samples are as varied as real frames: the mean distance between two of
them is 1.00 times real frames' (the issue's bar: ≥ 0.8). Hair style and colour, skin, background, the detail
(plain, freckles, face paint) and glasses are drawn in the real proportions, as the evaluator sees them: 16 of the 18
ratios are within 0.7–1.3. Two are not: open mouths on 14% of the samples (real: 25%) and closed eyes on 25% (17%).
The evaluator counts a smudge of colour on the cheeks as face paint and around the eyes as glasses, where a person
sees smudges: the coverage says which kinds of face are drawn, not how well. The Fréchet distance is 16.5 times the
real frames' (15.5 against 0.94; the bar is ≤ 3 times; step 7000 of the same run, shipped before, measured 26 times,
and step 3000, 71 times). #17's acceptance for this model is **not met**: the pair distance is met, the coverage
nearly, the Fréchet distance not. The checkpoint was chosen with this same evaluator among 28 (docs/quality.md), and
its neighbours 250 steps away score about twice its Fréchet distance, so these numbers are those of the best of
many draws; with another noise seed and other real frames the choice kept its lead.
'''),
("code", r'''
%%
n := quick(5000, 200)
b := backend.MustNew("")
g, _ := must.M2(dcgan.LoadGenerator(b, must.M1(pretrained.Path("dcgan-heads.gob"))))
judge := must.M1(eval.LoadClassifier(b, must.M1(pretrained.Path("classifier-heads-attributes.gob"))))
real, reference := must.M2(datasets.DisjointTrainingImages("heads", n, 1))
samples := must.M1(dcgan.Sample(g, n, 1, 0))
gen, realReport := must.M2(judge.AgainstReal(real, reference, samples, nil, n))
eval.WriteTable(os.Stdout, judge.Classes, gen, realReport)
fmt.Printf("\nFréchet distance generated / real: %.2f (the target: ≤ 3)\n", gen.FCD/realReport.FCD)
fmt.Printf("mean distance of two images generated / real: %.2f (the target: ≥ 0.8)\n\n", gen.PairDistance/realReport.PairDistance)
eval.WriteCoverage(os.Stdout, judge.Classes, gen, realReport, 0.3)
'''),
]
