package main

import (
	"flag"
	"fmt"
	"image"
	"path/filepath"

	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/internal/cli"
	"github.com/ganlab/ganlab/plotting"
)

func init() {
	trainers["gan1d"] = target{summary: "1-D GAN on N(4, 1.25²): Goodfellow et al. Fig. 1 from real training", run: trainGAN1D}
	trainers["gan2d"] = target{summary: "2-D GAN on a ring of 8 Gaussians: mode coverage over time", run: trainGAN2D}
	trainers["mnist-gan"] = target{summary: "fully connected GAN on MNIST (the paper's MNIST experiment)", run: trainMNISTGAN}
}

// snapshotSteps returns the steps at which to take n snapshots: the start and evenly after.
func snapshotSteps(total, n int) map[int]bool {
	out := map[int]bool{}
	for i := range n {
		out[max(1, total*i/(n-1))] = true
	}
	return out
}

func trainGAN1D(fs *flag.FlagSet, args []string) error {
	mu := fs.Float64("mu", 4, "mean of the data distribution N(mu, sigma²)")
	sigma := fs.Float64("sigma", 1.25, "standard deviation of the data distribution")
	f := registerGANFlags(fs, "gan1d", gan.Toy1DConfig(), 4000)
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if err := f.finish(); err != nil {
		return err
	}
	if f.cfg.LatentDim != 1 {
		return cli.Usagef("gan1d draws p_g from a 1-D z: -z must be 1")
	}
	if !(*sigma > 0) {
		return cli.Usagef("-sigma must be > 0")
	}
	b, err := f.newBackend()
	if err != nil {
		return err
	}
	dist := datasets.Gaussian{Mu: *mu, Sigma: *sigma}
	g, d := gan.Toy1DModels()
	tr, err := gan.NewTrainer(b, f.cfg, g, d, &gan.Toy1D{Dist: dist, Seed: f.cfg.Seed})
	if err != nil {
		return err
	}
	lo, hi := *mu-6**sigma, *mu+6**sigma
	var snaps []*gan.Snapshot1D
	at := snapshotSteps(f.steps, 4)
	if err := trainLoop(tr, "gan1d", f, func(rec gan.StepRecord) error {
		if !at[rec.Step] {
			return nil
		}
		s, err := tr.Analyze1D(dist, lo, hi, 601, *mu, *sigma)
		if err == nil {
			snaps = append(snaps, s)
		}
		return err
	}); err != nil {
		return err
	}
	final, err := tr.Analyze1D(dist, lo, hi, 601, *mu, *sigma)
	if err != nil {
		return err
	}
	if len(snaps) == 0 || snaps[len(snaps)-1].Step != final.Step {
		snaps = append(snaps, final)
	}
	if err := plotting.SaveImage(filepath.Join(f.out, "figure1.png"), gan.Figure1(snaps...)); err != nil {
		return err
	}
	if err := plotting.SaveImage(filepath.Join(f.out, "training.png"), tr.History.TrainingFigure(50)); err != nil {
		return err
	}
	fmt.Printf("gan1d step=%d js_nats=%.5f mean_abs_d_minus_dstar=%.4f\n", final.Step, final.JS, final.MeanAbsDMinusDStar)
	fmt.Printf("  %s; JS by Simpson's rule on [%g, %g]; |D − D*| averaged over μ ± 2σ weighted by p_data\n", gan.GeneratorDensityMethod, lo, hi)
	fmt.Printf("  figures: %s, %s\n", filepath.Join(f.out, "figure1.png"), filepath.Join(f.out, "training.png"))
	return nil
}

func trainGAN2D(fs *flag.FlagSet, args []string) error {
	modes := fs.Int("modes", 8, "number of Gaussians on the ring")
	radius := fs.Float64("radius", 2, "ring radius")
	sigma := fs.Float64("sigma", 0.05, "standard deviation of each mode")
	defaults := gan.DefaultConfig()
	defaults.LatentDim, defaults.BatchSize, defaults.LearningRateD, defaults.LearningRateG = 2, 256, 1e-3, 1e-3
	f := registerGANFlags(fs, "gan2d", defaults, 3000)
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if err := f.finish(); err != nil {
		return err
	}
	if *modes < 1 || !(*sigma > 0) || !(*radius > 0) {
		return cli.Usagef("need -modes ≥ 1, -sigma > 0, -radius > 0")
	}
	b, err := f.newBackend()
	if err != nil {
		return err
	}
	dist := datasets.Ring(*modes, *radius, *sigma)
	g, d := gan.Toy2DModels()
	tr, err := gan.NewTrainer(b, f.cfg, g, d, &gan.Toy2D{Dist: dist, Seed: f.cfg.Seed})
	if err != nil {
		return err
	}
	var panels []image.Image
	var last gan.ModeCoverage
	at := snapshotSteps(f.steps, 4)
	snapshot := func(step int) error {
		pts, err := tr.Samples2D(2000)
		if err != nil {
			return err
		}
		last = gan.CoverModes(pts, dist.Modes(), *sigma, 0.25/float64(*modes))
		p := plotting.Scatter2D(fmt.Sprintf("step %d: %d/%d modes", step, last.Covered, last.Modes), pts, dist.Modes(), 3**sigma)
		panels = append(panels, plotting.Render(3.5*72, 3.5*72, p))
		return nil
	}
	if err := trainLoop(tr, "gan2d", f, func(rec gan.StepRecord) error {
		if at[rec.Step] {
			return snapshot(rec.Step)
		}
		return nil
	}); err != nil {
		return err
	}
	if len(panels) == 0 {
		if err := snapshot(tr.Step()); err != nil {
			return err
		}
	}
	grid, err := plotting.ImageGrid(panels, len(panels), 0, 1)
	if err != nil {
		return err
	}
	if err := plotting.SaveImage(filepath.Join(f.out, "modes.png"), grid); err != nil {
		return err
	}
	if err := plotting.SaveImage(filepath.Join(f.out, "training.png"), tr.History.TrainingFigure(50)); err != nil {
		return err
	}
	fmt.Printf("gan2d step=%d modes_covered=%d/%d within_3sigma=%.3f\n", tr.Step(), last.Covered, last.Modes, last.HighQuality)
	return nil
}

func trainMNISTGAN(fs *flag.FlagSet, args []string) error {
	f := registerGANFlags(fs, "mnist-gan", gan.DefaultConfig(), 10000)
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if err := f.finish(); err != nil {
		return err
	}
	set, err := datasets.LoadMNIST(datasets.Train)
	if err != nil {
		return err
	}
	g, d := gan.MNISTMLPModels()
	return trainImageGAN("mnist-gan", set, g, d, true, f, nil)
}

// trainImageGAN trains an image GAN with fixed-noise grids during training (samples.png,
// progress.gif), the training curves (training.png) and, at the end, the generator alone
// (generator.gob) for `ganlab sample`.
func trainImageGAN(modelName string, set *datasets.ImageSet, g gan.Generator, d gan.Discriminator, flatten bool, f *ganFlags, meta map[string]string) error {
	b, err := f.newBackend()
	if err != nil {
		return err
	}
	tr, err := gan.NewTrainer(b, f.cfg, g, d, gan.NewImages(set, f.cfg.Seed, flatten))
	if err != nil {
		return err
	}
	tr.Meta = meta
	grid, err := progressGrid(f.cfg.LatentDim, set.H, set.W, set.C)
	if err != nil {
		return err
	}
	return trainImages(tr, modelName, f, false, func() (image.Image, error) { return grid(tr) })
}

// progressGrid returns the frame of progress.gif and samples.png: the 8×8 grid of a generator's
// images [h, w, c] for 64 fixed noise vectors (seed 12345) — the same for every step of a run,
// and for `sample dcgan -run`, which rebuilds the GIF from checkpoints.
func progressGrid(latentDim, h, w, c int) (func(tr *gan.Trainer) (image.Image, error), error) {
	z, err := gan.FixedNoise(64, latentDim, 12345)
	if err != nil {
		return nil, err
	}
	return func(tr *gan.Trainer) (image.Image, error) {
		out, err := tr.Generate(z)
		if err != nil {
			return nil, err
		}
		return gan.ImageGridOf(out, h, w, c, 8)
	}, nil
}

// trainImages trains an image GAN and writes the run's figures into the output directory:
// samples.png (grid() at the end), progress.gif (grid() 20 times during the run), training.png
// (the curves) and generator.gob (with the discriminator too when withD).
func trainImages(tr *gan.Trainer, modelName string, f *ganFlags, withD bool, grid func() (image.Image, error)) error {
	var frames []image.Image
	every := max(f.steps/20, 1)
	if err := trainLoop(tr, modelName, f, func(rec gan.StepRecord) error {
		if rec.Step%every == 0 || rec.Step == 1 {
			img, err := grid()
			if err != nil {
				return err
			}
			frames = append(frames, img)
		}
		return nil
	}); err != nil {
		return err
	}
	img, err := grid()
	if err != nil {
		return err
	}
	if err := plotting.SaveImage(filepath.Join(f.out, "samples.png"), img); err != nil {
		return err
	}
	if len(frames) > 0 {
		if err := plotting.SaveGIF(filepath.Join(f.out, "progress.gif"), frames, 30); err != nil {
			return err
		}
	}
	if err := plotting.SaveImage(filepath.Join(f.out, "training.png"), tr.History.TrainingFigure(100)); err != nil {
		return err
	}
	genPath := filepath.Join(f.out, "generator.gob")
	if err := tr.SaveModels(genPath, modelName, withD); err != nil {
		return err
	}
	fmt.Printf("%s step=%d samples=%s generator=%s\n", modelName, tr.Step(), filepath.Join(f.out, "samples.png"), genPath)
	return nil
}
