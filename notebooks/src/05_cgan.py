from ipynb import QUICK, SETUP

CELLS = [
("markdown", r'''
# 05 · Conditional GAN: asking for a class

Mirza & Osindero (2014) condition both networks on a label $y$:

$$\min_G \max_D V(D, G) = \mathbb{E}_{x\sim p_\text{data}}[\log D(x \mid y)] + \mathbb{E}_{z\sim p_z}[\log(1 - D(G(z \mid y) \mid y))] \qquad \text{(Eq. 18)}$$

$D$ must accept a real image only *together with its own label*; a convincing image with the wrong label is a fake.
So $G$ cannot please $D$ by drawing any digit: it must draw the one it was asked for. Package `cgan` builds both
networks (an MLP as in the paper and PyTorch-GAN's `cgan.py`, or the DCGAN tutorial model with the one-hot label joined
to $z$ and broadcast as extra input channels of $D$) and trains them with `gan.Trainer` on a conditional `gan.Model` (the same training path, with labels).

This notebook: a short training run with class grids over time; the **shipped conditional generators** for MNIST and
Fashion-MNIST (`pretrained/README.md` has their commands and seeds); the **four-case table** of the study notes (docs/equations.md §3); and the metrics:
accuracy of our classifier against the requested label, classifier score, Fréchet classifier distance.

`GANLAB_QUICK=1` shortens everything; the committed outputs come from a full run.
'''),
("code", SETUP),
("code", r'''
import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/janpfeifer/must"
	"gonum.org/v1/plot"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/cgan"
	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/eval"
	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/plotting"
	"github.com/ganlab/ganlab/pretrained"
)
''' + QUICK + r'''
// workDir holds this notebook's run with or without the matching-aware loss (under the repository's out/).
func workDir(matchingAware bool) string {
	name := "plain"
	if matchingAware {
		name = "matching-aware"
	}
	return filepath.Join(os.Getenv("GONB_DIR"), "..", "out", "notebook-05", name)
}

// runName describes a run's discriminator loss.
func runName(matchingAware bool) string {
	if matchingAware {
		return "matching-aware D"
	}
	return "plain Eq. 18"
}

// shipped loads a shipped conditional generator (with its discriminator): "mnist" or "fashion".
func shipped(dataset string, seed uint64) *gan.Model {
	tr, _ := must.M2(cgan.LoadGenerator(backend.MustNew(""), must.M1(pretrained.Path("cgan-"+dataset+".gob"))))
	must.M(tr.Store.SetRNGStateFromSeed(int64(seed)))
	return tr
}
'''),
("markdown", r'''
## 1 · Training under plain Eq. 18 and with a matching-aware discriminator

The MLP variant on MNIST from scratch: $G$: $[z, \text{onehot}(y)]$ → 128 → 256 → 512 → 1024 → 784 (tanh), batch norm;
$D$: $[x, \text{onehot}(y)]$ → 512 → 512 → 512 → 1 with dropout. Two runs with the same seed and the same number of
steps, which differ only in D's loss:

- **plain Eq. 18**: D sees real images with their own labels (target 1) and generated images with the labels they were
  drawn for (target 0); nothing ever shows it a real image with a wrong label;
- **matching-aware** (Reed et al. 2016; `gan.Config.MatchingAware`, the default of `cgan.Config.GanConfig`): the same,
  plus real images paired with a wrong label as a second kind of fake.

Each grid has one row per class (labelled on the left) and one column per fixed $z$. Both runs are saved to
`out/notebook-05/` for section 3. After 3000 steps the two differ in what matters: under plain Eq. 18 the rows of the
grid are nearly the same (the generator still mostly ignores $y$: each column draws one shape whatever the label, and
only a few rows, such as 4, 6 and 9, bend it a little toward their digit), while with the matching-aware discriminator
each row draws its own digit. (Quick mode trains 30 steps: both grids are noise.)
'''),
("code", r'''
%%
steps := quick(3000, 30)
c := cgan.MNISTMLP()
set := must.M1(datasets.LoadMNIST(datasets.Train))
for _, matchingAware := range []bool{false, true} {
	cfg := c.GanConfig()
	cfg.MatchingAware = matchingAware
	tr := must.M1(cgan.NewTrainer(backend.MustNew(""), c, cfg, set))
	for tr.Step() < steps {
		must.M1(tr.TrainStep())
	}
	seconds := 0.0
	for _, r := range tr.History.Steps {
		seconds += r.Seconds
	}
	must.M1(tr.Save(workDir(matchingAware), cgan.ModelName, 1))
	fmt.Printf("%s: %d steps in %.0f s\n", runName(matchingAware), tr.Step(), seconds)
	grid, _ := must.M2(cgan.ClassGrid(tr.Model, set.Classes, 8, 3))
	plotting.Show(grid)
	plotting.Show(tr.History.TrainingFigure(50))
}
''', ["figure"]),
("markdown", r'''
## 2 · The shipped generators: one row per class, style fixed down each column

Same $z$ in every row of a column: what stays constant along a column (stroke width, slant, size) is what $z$ encodes;
what changes down it is the class. The MNIST generator is the MLP variant; the Fashion-MNIST one is the convolutional
variant (the DCGAN tutorial's networks with the label joined to $z$ and to D's input channels). Its grid draws
T-shirts as short-sleeved tops and pullovers, coats and shirts as long-sleeved ones that look alike to the eye but
that the classifier tells apart (§4: 96.1%, 96.5% and 94.9% of them); the MLP shipped before drew most T-shirts and
pullovers as shirts (`pretrained/README.md` has both commands).
'''),
("code", r'''
%%
for _, dataset := range []string{"mnist", "fashion"} {
	tr := shipped(dataset, 1)
	seconds := 0.0
	for _, r := range tr.History.Steps {
		seconds += r.Seconds
	}
	fmt.Printf("%s: %d generator steps (batch %d, %.0f min of training steps)\n", dataset, tr.Step(), tr.Config.BatchSize, seconds/60)
	names := datasets.FashionMNISTClasses
	if dataset == "mnist" {
		names = nil // the digits 0–9
	}
	grid, _ := must.M2(cgan.ClassGrid(tr, names, 12, 5))
	plotting.Show(grid)
}
''', ["figure", "thumbnail"]),
("markdown", r'''
## 3 · The four cases, under plain Eq. 18 and matching-aware

Each discriminator is fed 1000 real test images and 1000 generated ones, each with its own label and with a wrong one.
Only **real image, its label** should be accepted; a real image with the wrong label must be rejected like a fake. (At
equilibrium $D$ cannot tell good generated images from real ones, so the first row's acceptance measures how close $G$
came; the second and fourth rows are what conditioning is about.) Three discriminators: the two runs of section 1, and
the shipped MNIST model's (matching-aware, 30 000 steps).

What the tables show (full run). After 3000 steps under plain Eq. 18, G still mostly ignores its label, so most of
the generated pairs D was shown had the wrong label. D learned from them to read the label: it accepts 18.4% of real
images with a wrong label against 71.0% with their own, and prefers the right label for 97.6% of real images. The
matching-aware D, which is shown real images with wrong labels directly, separates them further (4.8% against 80.4%),
and its G draws the digit it is asked for. Plain Eq. 18 teaches D this only while G makes mismatched pairs; once G
obeys its labels, nothing in the loss keeps it. In the first 30 000-step MNIST run under plain Eq. 18 (README), D ended
up accepting real images with a wrong label as often as with their own (22.0% against 22.6%). That is why the shipped
MNIST model uses the matching-aware discriminator, and so does the shipped Fashion-MNIST one (`ganlab eval cgan -dataset
fashion` prints its four cases; this table stays with MNIST). (In quick mode the runs are 30 steps long and 200
images are measured: the numbers are noise.)
'''),
("code", r'''
%%
n := quick(1000, 200)
test := must.M1(datasets.LoadMNIST(datasets.Test))
b := backend.MustNew("")
var plots []*plot.Plot
for i, path := range []string{workDir(false), workDir(true), must.M1(pretrained.Path("cgan-mnist.gob"))} {
	m, _ := must.M2(cgan.LoadGenerator(b, path))
	must.M(m.Store.SetRNGStateFromSeed(1))
	name := []string{runName(false), runName(true), "shipped, matching-aware"}[i]
	fmt.Printf("── %s, %d steps ──\n", name, m.Step())
	cases := must.M1(cgan.FourCases(m, eval.SetTensor(test, n), test.Labels, n, 1))
	cgan.WriteFourCases(os.Stdout, cases)
	fmt.Println()
	var xs, ys []float64
	for i, c := range cases {
		xs, ys = append(xs, float64(i+1)), append(ys, c.MeanD)
	}
	p := plotting.Curves(name, "case (1 gen/right, 2 gen/wrong, 3 real/right, 4 real/wrong)", "mean D(x|y)", 0, plotting.Series{Name: "mean D", X: xs, Y: ys})
	p.Y.Min, p.Y.Max = 0, 1
	plotting.HorizontalLine(p, 0.5, "½")
	plots = append(plots, p)
}
plotting.Show(plotting.Render(4*72, 3*72, plots...))
''', ["figure"]),
("markdown", r'''
## 4 · Metrics: does G draw what it is asked for?

Samples balanced over the labels; our classifier (`pretrained/classifier-*.gob`, test accuracy 99.12% MNIST, 90.12%
Fashion-MNIST) labels them. **Accuracy against the requested label** is the conditioning metric (the targets: every
MNIST label ≥ 97%; every Fashion-MNIST label at least 0.9 × the classifier's accuracy on real images of that label,
since the classifier itself is right only 90% of the time on real Fashion images, 74% on shirts). Real training images,
measured the same way, are printed beside for scale, and the last line names the label whose accuracy is lowest
relative to the real images'. The mean distance of two images of a set falls when a generator collapses onto a few
images; in full mode both generators' samples are as far apart as real images (MNIST 0.733 against 0.728, Fashion-MNIST
0.805 against 0.817). `ganlab eval cgan -dataset mnist|fashion` prints the same tables.
'''),
("code", r'''
%%
n := quick(10000, 500)
b := backend.MustNew("")
for _, dataset := range []string{"mnist", "fashion"} {
	var train, test *datasets.ImageSet
	if dataset == "mnist" {
		train, test = must.M1(datasets.LoadMNIST(datasets.Train)), must.M1(datasets.LoadMNIST(datasets.Test))
	} else {
		train, test = must.M1(datasets.LoadFashionMNIST("", datasets.Train)), must.M1(datasets.LoadFashionMNIST("", datasets.Test))
	}
	c := must.M1(eval.LoadClassifier(b, must.M1(pretrained.Path("classifier-"+dataset+".gob"))))
	reference := must.M1(c.Reference(eval.SetTensor(test, 0)))
	tr := shipped(dataset, 1)
	labels := cgan.BalancedLabels(n, 10)
	gen := must.M1(c.Measure("generated", must.M1(tr.SampleLabeled(labels)), reference, labels))
	real := must.M1(c.Measure("real (train)", eval.SetTensor(train, n), reference, train.Labels[:n]))
	var table strings.Builder
	eval.WriteTable(&table, c.Classes, gen, real)
	fmt.Printf("── %s (n = %d) ──\n%s", dataset, n, table.String())
	worst := 0
	for l := range gen.PerLabel {
		if gen.PerLabel[l]/real.PerLabel[l] < gen.PerLabel[worst]/real.PerLabel[worst] {
			worst = l
		}
	}
	fmt.Printf("lowest against real images: %s, %.1f%% against %.1f%% (ratio %.2f)\n\n", c.Classes[worst], 100*gen.PerLabel[worst], 100*real.PerLabel[worst], gen.PerLabel[worst]/real.PerLabel[worst])
	var xs, acc []float64
	for l, a := range gen.PerLabel {
		xs, acc = append(xs, float64(l)), append(acc, a)
	}
	p := plotting.Curves(dataset+": accuracy of generated samples against the requested label", "label", "accuracy", 0, plotting.Series{Name: "per label", X: xs, Y: acc})
	p.Y.Min, p.Y.Max = 0, 1
	plotting.ShowPlots(p)
}
''', ["figure"]),
]
