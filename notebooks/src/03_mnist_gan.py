from ipynb import QUICK, SETUP

CELLS = [
("markdown", r'''
# 03 · A fully connected GAN on MNIST

The GAN paper's MNIST experiment, with the MLPs of PyTorch-GAN's `gan.py` (without its batch norm):
$G$: $z \in \mathbb R^{100} \to 256 \to 512 \to 1024 \to 784$ with LeakyReLU(0.2) and a tanh output; $D$: $784 \to 512 \to 256 \to 1$.
Adam($2\cdot10^{-4}$, $\beta_1 = 0.5$), batch 64, $k = 1$, non-saturating generator loss (`gan.DefaultConfig()`).

A common first attempt "runs but does not generate well". This notebook shows a run that works, what its diagnostics
look like, and a run that fails, side by side. Checkpoints go to `out/notebook-03/` (each GoNB cell is its own program,
so later cells load what the first one saved).
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
	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/plotting"
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

## 3 · A failing run: the discriminator wins

Same networks, but the minimax generator loss $\log(1 - D(G(z)))$, $k = 5$ and a 5× larger discriminator learning rate.
Within the first step $D$ separates real from generated almost perfectly ($D(x) \approx 1$, $D(G(z)) \approx 0$, printed below):
the minimax loss is then flat, and the generator's gradient norm at step 1 is about a hundredth of the working run's. $D$
stays confident for the whole run ($D(x) \approx 0.9$, $D(G(z)) \approx 0.1$, far from ½). After 1500 steps the samples are
speckled, broken digits, worse than the working run's at the same step but not noise: saturation slows this generator
down rather than stopping it. (Quick mode trains 60 steps, too few for either run to draw digits.)
'''),
("code", r'''
%%
steps := quick(1500, 60)
cfg := gan.DefaultConfig()
cfg.Loss, cfg.K, cfg.LearningRateD = gan.Minimax, 5, 1e-3
failing := newMNISTTrainer(cfg)
for failing.Step() < steps {
	must.M1(failing.TrainStep())
}
working := newMNISTTrainer(gan.DefaultConfig())
must.M(working.Load(gan.CheckpointDir(workDir("working")), "mnist-gan"))
fd, wd := failing.History.DOutputCurves(20), working.History.DOutputCurves(20)
fd.Title.Text, wd.Title.Text = "failing: D outputs", "working: D outputs"
fg, wg := failing.History.GradNormCurves(20), working.History.GradNormCurves(20)
fg.Title.Text, wg.Title.Text = "failing: gradient norms", "working: gradient norms"
wd.X.Max, wg.X.Max = float64(steps), float64(steps)
plotting.Show(plotting.RenderGrid(4.5*72, 3.2*72, [][]*plot.Plot{{wd, wg}, {fd, fg}}))
r := failing.History.Steps[0]
fmt.Printf("failing run, step 1: D(x) = %.4f, D(G(z)) = %.4f, generator gradient norm %.3g\n", r.DReal, r.DFake, r.GradNormG)
r = working.History.Steps[0]
fmt.Printf("working run, step 1: D(x) = %.4f, D(G(z)) = %.4f, generator gradient norm %.3g\n", r.DReal, r.DFake, r.GradNormG)
plotting.Show(must.M1(gan.ImageGridOf(must.M1(failing.Sample(32)), 28, 28, 1, 16)))
''', ["figure"]),
]
