from ipynb import QUICK, SETUP

CELLS = [
("markdown", r'''
# 03 · A fully connected GAN on MNIST

The GAN paper's MNIST experiment, with the MLPs of PyTorch-GAN's `gan.py` (without its batch norm):
$G$: $z \in \mathbb R^{100} \to 256 \to 512 \to 1024 \to 784$ with LeakyReLU(0.2) and a tanh output; $D$: $784 \to 512 \to 256 \to 1$.
Adam($2\cdot10^{-4}$, $\beta_1 = 0.5$), batch 64, $k = 1$, non-saturating generator loss (`gan.DefaultConfig()`).

A common first attempt "runs but does not generate well", as the notes' author reports of theirs. This notebook shows a
run that works and what its diagnostics look like (§1–2), then the notes' own update rules taken literally, which fail,
beside the recipe that fixes them (§3). Checkpoints go to `out/notebook-03/` (each GoNB cell is its own program, so later
cells load what earlier ones saved).
'''),
("code", SETUP),
("code", r'''
import (
	"bytes"
	"context"
	"fmt"
	"image"
	"os"
	"path/filepath"

	"github.com/janpfeifer/must"
	"gonum.org/v1/plot"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/dcgan"
	"github.com/ganlab/ganlab/eval"
	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/plotting"
	"github.com/ganlab/ganlab/pretrained"
)
''' + QUICK + r'''
// workDir holds this notebook's checkpoints (under the repository's out/).
func workDir(name string) string {
	return filepath.Join(os.Getenv("GONB_DIR"), "..", "out", "notebook-03", name)
}

// newMNISTTrainer builds the MLP GAN on the MNIST training set.
func newMNISTTrainer(cfg gan.Config) *gan.Trainer {
	set := must.M1(datasets.LoadMNIST(datasets.Train))
	g, d := gan.MNISTMLPModels()
	tr := must.M1(gan.NewTrainer(backend.MustNew(""), cfg, g, d, gan.NewImages(set, cfg.Seed, true)))
	tr.Name = "mnist-gan" // checked when a checkpoint is loaded
	return tr
}
'''),
("markdown", r'''
## 1 · Training, with checkpoints, a resume, and a fixed-noise grid every few hundred steps

`gan.Run` is the training loop that `ganlab train` runs: it saves checkpoints into `out/notebook-03/working/checkpoints/`,
resumes from the newest one, and an interrupt (the kernel's ■ button) saves a checkpoint and stops the cell cleanly.
Here the run stops half-way on purpose and a new trainer resumes it, as a rerun of an interrupted cell would; the
resumed run continues exactly where the first stopped (the checkpoint holds the weights, both optimizers, the noise RNG
and the data position). The same 64 noise vectors are decoded after each interval, so each cell of the grid follows
one $z$ through training.
'''),
("code", r'''
%%
steps := quick(10000, 150)
os.RemoveAll(workDir("working"))
z := must.M1(gan.FixedNoise(64, 100, 12345))
var frames []image.Image
shots := []int{}
every := max(steps/10, 1)
train := func(upTo int, resume bool) *gan.Trainer {
	tr := newMNISTTrainer(gan.DefaultConfig())
	must.M1(gan.Run(context.Background(), tr, gan.RunOptions{
		Steps: upTo, Dir: workDir("working"), CheckpointEvery: every, Keep: 2, Resume: resume,
		OnStep: func(step int) error {
			if step == 1 || step%every == 0 {
				frames = append(frames, must.M1(gan.ImageGridOf(must.M1(tr.Generate(z)), 28, 28, 1, 8)))
				shots = append(shots, step)
			}
			return nil
		},
	}))
	return tr
}
train(steps/2, false)    // stops half-way, as an interrupted cell would
tr := train(steps, true) // a new trainer resumes from the newest checkpoint
fmt.Printf("trained %d steps in %.0f s; grids at steps %v\n", tr.Step(), func() (s float64) {
	for _, r := range tr.History.Steps {
		s += r.Seconds
	}
	return
}(), shots)
// Four moments of training side by side, then the animation of all of them.
n := len(frames)
plotting.Show(must.M1(plotting.ImageGrid([]image.Image{frames[0], frames[n/3], frames[2*n/3], frames[n-1]}, 4, 8, 1)))
var gif bytes.Buffer
must.M(plotting.GIF(&gif, frames, 40))
plotting.ShowGIF(gif.Bytes())
''', ["figure"]),
("markdown", r'''
## 2 · The trained generator and its diagnostics

Loaded from the checkpoint the previous cell wrote: 100 fresh samples, then the training curves.
'''),
("code", r'''
%%
tr := newMNISTTrainer(gan.DefaultConfig())
must.M(tr.Load(gan.CheckpointDir(workDir("working")), "mnist-gan"))
samples := must.M1(tr.Sample(100))
plotting.Show(must.M1(gan.ImageGridOf(samples, 28, 28, 1, 10)))
plotting.Show(tr.History.TrainingFigure(100))
''', ["figure"]),
("markdown", r'''
What a working run looks like (above): the discriminator's loss stays well above 0 (near $2\log 2 \approx 1.39$ would be a
perfect tie), its mean output on real images stays a little above its output on generated ones, both away from 0 and 1,
and the generator's gradient norm does not collapse.

## 3 · The notes' algorithm as written: a run that fails, and its fix

The notes' author reports a GAN that ran but did not generate well. The notes' own update rules, Eq. 16–17
(docs/equations.md), move both networks by plain gradient steps of one size $\alpha$, and the generator descends
$\log(1 - D(G(z)))$. This section trains exactly that, beside the recipe that fixes it, on the same networks, data and
seed: the DCGAN paper's convolutional networks at 32×32 (`dcgan.NewMNIST32Trainer`, width 64: the family of the shipped
DCGAN-MNIST), because the MLP of §1 tops out near a classifier score of 6.6 and a fix has to be seen to work.

| run | update (Algorithm 1, $k = 1$, batch 64) | generator loss |
|---|---|---|
| Eq. 16–17 as written | plain gradient steps, $\alpha = 0.02$ (`gan.GradientSteps`) | $\log(1 - D(G(z)))$ (`gan.Minimax`) |
| the fix: DCGAN's recipe | Adam($2\cdot10^{-4}$, $\beta_1 = 0.5$) | $-\log D(G(z))$ (`gan.NonSaturating`, Goodfellow et al. §3) |

Each run checkpoints every 1000 steps into `out/notebook-03/` and resumes from there when the cell runs again (both
together take about 1.5 hours on 2 cores the first time). Every checkpoint's generator is scored by the shipped MNIST
classifier (`classifier-mnist.gob`, 2000 samples, as `ganlab eval dcgan -run DIR -n 2000` does).
'''),
("code", r'''
%%
steps, n := quick(12000, 24), quick(2000, 200)
b := backend.MustNew("")
judge := must.M1(eval.LoadClassifier(b, must.M1(pretrained.Path("classifier-mnist.gob"))))
test := must.M1(datasets.LoadMNIST(datasets.Test))
asWritten := gan.DefaultConfig()
asWritten.Optimizer, asWritten.Loss = gan.GradientSteps, gan.Minimax // Eq. 16–17
asWritten.LearningRateD, asWritten.LearningRateG = 0.02, 0.02        // α
runs := []struct {
	name, title string
	cfg         gan.Config
}{{"eq1617", "Eq. 16–17 as written", asWritten}, {"recipe", "DCGAN's recipe", gan.DefaultConfig()}}
z := must.M1(gan.FixedNoise(32, 100, 12345))
var scores []plotting.Series
var rows [][]*plot.Plot
var grids []image.Image
table := map[int][]float64{}
for _, run := range runs {
	dir := workDir(fmt.Sprintf("%s-%d", run.name, steps))
	tr := must.M1(dcgan.NewMNIST32Trainer(b, run.cfg, 64))
	latest := must.M1(gan.LatestCheckpoint(gan.CheckpointDir(dir)))
	must.M1(gan.Run(context.Background(), tr, gan.RunOptions{Steps: steps, Dir: dir, CheckpointEvery: steps / 12,
		Resume: latest != "", Label: run.name}))
	points := must.M1(dcgan.ScoreRun(b, judge, test, dir, n, 1, nil))
	series := plotting.Series{Name: run.title}
	for _, p := range points {
		series.X, series.Y = append(series.X, float64(p.Step)), append(series.Y, p.Report.ClassifierScore)
		table[p.Step] = append(table[p.Step], p.Report.ClassifierScore)
	}
	scores = append(scores, series)
	d, g := tr.History.DOutputCurves(steps/120), tr.History.GradNormCurves(steps/120)
	d.Title.Text, g.Title.Text = run.title+": D outputs", run.title+": gradient norms"
	rows = append(rows, []*plot.Plot{d, g})
	grids = append(grids, must.M1(gan.ImageGridOf(must.M1(tr.Generate(z)), 32, 32, 1, 16)))
	r := tr.History.Steps[len(tr.History.Steps)-1]
	fmt.Printf("%-22s step %d: D(x) = %.4f, D(G(z)) = %.3g, gradient norms D %.3g, G %.3g\n", run.title, r.Step, r.DReal, r.DFake, r.GradNormD, r.GradNormG)
}
fmt.Println("\n  step  classifier score: Eq. 16–17 | recipe")
for _, x := range scores[0].X {
	fmt.Printf("%6.0f  %27.2f | %.2f\n", x, table[int(x)][0], table[int(x)][1])
}
p := plotting.Curves(fmt.Sprintf("classifier score of each checkpoint (n = %d)", n), "generator step", "classifier score", 0, scores...)
p.Y.Min, p.Y.Max = 0, 10
plotting.HorizontalLine(p, 3, "")
plotting.HorizontalLine(p, 8, "")
plotting.ShowPlots(p)
plotting.Show(plotting.RenderGrid(4.5*72, 3.2*72, rows))
fmt.Println("the last step's samples, same noise; top: Eq. 16–17 as written, bottom: DCGAN's recipe")
plotting.Show(must.M1(plotting.ImageGrid(grids, 1, 8, 1)))
''', ["figure"]),
("markdown", r'''
What the runs show (the lines and figures above; full mode):

- **Eq. 16–17 as written fail at once and for good.** By step 6, $D(x) > 0.999$ and $D(G(z)) < 10^{-3}$: $D$ tells real
  from generated perfectly. The generator's loss $\log(1 - \sigma(\ell))$ then has gradient $-\sigma(\ell) \approx 0$ in
  the logit, and $D$'s own loss is near 0 too, so both gradient norms drop to between $10^{-6}$ and $10^{-4}$ (the
  recipe's stay in the tens). A plain step is $\alpha$ times that gradient, so nothing moves. The classifier score
  stays at 1.00–1.03 for all 12 000 steps. Once, near step 3744, a burst happens: $D(G(z))$ jumps to 1
  for one step, then $D(x)$ drops to 0.001, and both gradients spike to 40–170 (the blip in the curves). It leaves the
  generator drawing blank white squares (the top rows), and from step 4000 on its gradient norm stays below
  $10^{-5}$. The code ran, and it did not generate: the notes' author's report.
- **The recipe works.** $D(x)$ stays near 0.85 and $D(G(z))$ near 0.15: $D$ ahead, but never certain. The generator's
  gradient stays in the tens. The score climbs 5.97 → 7.35 → 7.83 → 8.02 at steps 1000, 4000, 6000 and 9000, and ends
  at 8.10 (2000 real training images score 9.61 with this classifier). The bottom rows are digits.
- **Which change matters here?** Under plain steps, changing only the loss already keeps the game going:
  `ganlab train dcgan -preset paper -size 32 -width 64 -optimizer sgd -lr-d 0.02 -lr-g 0.02 -loss nonsaturating`
  printed $D(G(z))$ from 0.98 down to 0.65 on its progress lines at steps 60–300, far from saturated. How far that run
  gets was not measured. Adam divides each step by a running scale of its gradients, so even a saturated gradient
  moves the weights by about the learning rate; whether Adam with the minimax loss trains this model was not measured
  either.
- `dcgan.TestEq16And17AsWrittenFreezeTheGame` reproduces the failure from seed 1 in 60 steps: $D$ saturated, and the
  generator's gradient below a thousandth of the recipe's.

Quick mode trains each run for 24 steps. Both are noise (score ≈ 1), and only the printed $D$ outputs and gradient
norms differ: Eq. 16–17's $D$ is saturated and both of its gradient norms are below $10^{-4}$, while the recipe's are
around 6 and 40.
'''),
]
