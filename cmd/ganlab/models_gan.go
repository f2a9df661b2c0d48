package main

import (
	"flag"
	"fmt"
	"image"
	"math"
	"path/filepath"

	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/internal/cli"
)

func init() {
	trainers["gan1d"] = cli.Target{Summary: "1-D GAN on N(4, 1.25²): Goodfellow et al. Fig. 1 from real training", Run: trainGAN1D}
	trainers["gan2d"] = cli.Target{Summary: "2-D GAN on a ring of 8 Gaussians: mode coverage over time", Run: trainGAN2D}
	trainers["mnist-gan"] = cli.Target{Summary: "fully connected GAN on MNIST (the paper's MNIST experiment)", Run: trainMNISTGAN}
}

func trainGAN1D(fs *flag.FlagSet, args []string) error {
	mu := fs.Float64("mu", 4, "mean of the data distribution N(mu, sigma²)")
	sigma := fs.Float64("sigma", 1.25, "standard deviation of the data distribution")
	f := registerGANFlags(fs, "gan1d", gan.Toy1DConfig(), 4000)
	if err := f.parse(args); err != nil {
		return err
	}
	if f.cfg.LatentDim != 1 {
		return cli.Usagef("gan1d draws p_g from a 1-D z: -z must be 1")
	}
	if !(*sigma > 0 && *sigma < 1e6 && math.Abs(*mu) < 1e6) {
		return cli.Usagef("-mu must be finite with |mu| < 1e6 and -sigma in (0, 1e6), got %g and %g", *mu, *sigma)
	}
	dist := datasets.Gaussian{Mu: *mu, Sigma: *sigma}
	tr, err := gan.NewToy1DTrainer(f.backend, f.cfg, dist)
	if err != nil {
		return err
	}
	rec := gan.NewFigure1Recorder(tr.Model, dist, f.steps)
	if err := f.trainGAN(tr, rec.OnStep); err != nil {
		return err
	}
	final, err := rec.Save(f.out)
	if err != nil {
		return err
	}
	lo, hi := rec.Range()
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
	if err := f.parse(args); err != nil {
		return err
	}
	if *modes < 1 || *modes > 1000 || !(*sigma > 0 && *sigma < 1e6) || !(*radius > 0 && *radius < 1e6) {
		return cli.Usagef("need -modes in 1…1000, -sigma and -radius in (0, 1e6)")
	}
	dist := datasets.Ring(*modes, *radius, *sigma)
	tr, err := gan.NewToy2DTrainer(f.backend, f.cfg, dist)
	if err != nil {
		return err
	}
	rec := gan.NewModeRecorder(tr.Model, dist, f.steps)
	if err := f.trainGAN(tr, rec.OnStep); err != nil {
		return err
	}
	last, err := rec.Save(f.out)
	if err != nil {
		return err
	}
	fmt.Printf("gan2d step=%d modes_covered=%d/%d within_3sigma=%.3f\n", tr.Step(), last.Covered, last.Modes, last.HighQuality)
	return nil
}

func trainMNISTGAN(fs *flag.FlagSet, args []string) error {
	f := registerGANFlags(fs, "mnist-gan", gan.DefaultConfig(), 10000)
	if err := f.parse(args); err != nil {
		return err
	}
	set, err := datasets.LoadMNIST(datasets.Train)
	if err != nil {
		return err
	}
	g, d := gan.MNISTMLPModels()
	return trainImageGAN("mnist-gan", set, g, d, true, f, nil)
}

// trainImageGAN trains an image GAN (gan.NewImageTrainer) with trainImages, its figures showing
// the 64 fixed noise vectors of gan.ProgressGrid.
func trainImageGAN(name string, set *datasets.ImageSet, g gan.Generator, d gan.Discriminator, flatten bool, f *ganFlags, meta map[string]string) error {
	tr, err := gan.NewImageTrainer(f.backend, f.cfg, name, meta, g, d, set, flatten)
	if err != nil {
		return err
	}
	grid, err := gan.ProgressGrid(f.cfg.LatentDim, set.H, set.W, set.C)
	if err != nil {
		return err
	}
	return trainImages(tr, f, false, func() (image.Image, error) { return grid(tr.Model) })
}

// trainImages trains an image GAN and writes the run's figures (gan.ImageProgress) and
// generator.gob (with the discriminator too when withD) into the output directory.
func trainImages(tr *gan.Trainer, f *ganFlags, withD bool, grid func() (image.Image, error)) error {
	figures := gan.NewImageProgress(grid, f.steps)
	if err := f.trainGAN(tr, figures.OnStep); err != nil {
		return err
	}
	samples, generator, err := figures.Save(f.out, tr.Model, withD)
	if err == nil {
		fmt.Printf("%s step=%d samples=%s generator=%s\n", tr.Name, tr.Step(), samples, generator)
	}
	return err
}
