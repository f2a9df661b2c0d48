package main

import (
	"flag"
	"fmt"
	"image"
	"os"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/ganlab/ganlab/cgan"
	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/eval"
	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/internal/cli"
	"github.com/ganlab/ganlab/internal/progress"
)

func init() {
	trainers["cgan"] = cli.Target{Summary: "conditional GAN (Mirza & Osindero): -arch conv|mlp on MNIST or Fashion-MNIST, class-controlled", Run: trainCGAN}
	samplers["cgan"] = cli.Target{Summary: "samples of a conditional generator for one label (-label L) or a class grid, as PNG or IDX3", Run: sampleCGAN}
	evals["cgan"] = cli.Target{Summary: "label accuracy per class, classifier score and Fréchet classifier distance of CGAN samples, and the four-case table", Run: evalCGAN}
}

func trainCGAN(fs *flag.FlagSet, args []string) error {
	dataset := fs.String("dataset", "mnist", "mnist or fashion")
	arch := fs.String("arch", "conv", "conv (the DCGAN tutorial model, conditioned) or mlp (fully connected, as in the paper)")
	withD := fs.Bool("save-discriminator", true, "keep the discriminator in generator.gob (the four-case table needs it; false: a smaller file)")
	defaults := gan.DefaultConfig()
	defaults.MatchingAware = true
	f := registerGANFlags(fs, "cgan", defaults, 5000)
	fs.BoolVar(&f.cfg.MatchingAware, "matching-aware", true, "also show D real images with wrong labels as fakes (Reed et al. 2016), so that it learns to reject them")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if err := f.finish(); err != nil {
		return err
	}
	mc := cgan.MNIST()
	mc.Arch, mc.LatentDim = *arch, f.cfg.LatentDim
	if err := mc.Validate(); err != nil {
		return cli.Usagef("%v", err)
	}
	set, err := loadDataset(*dataset, datasets.Train)
	if err != nil {
		return err
	}
	b, err := f.newBackend()
	if err != nil {
		return err
	}
	tr, err := cgan.NewTrainer(b, mc, f.cfg, set)
	if err != nil {
		return err
	}
	// The discriminator is kept in generator.gob by default: the four-case table needs it.
	return trainImages(tr, f, *withD, func() (image.Image, error) {
		img, _, err := cgan.ClassGrid(tr.Model, 8, gan.ProgressNoiseSeed)
		return img, err
	})
}

// cganGenerator loads -checkpoint, or the shipped generator of the dataset.
func cganGenerator(b backendT, path, dataset string) (*gan.Model, cgan.Config, string, error) {
	path, err := modelFile(path, shippedCGAN(dataset))
	if err != nil {
		return nil, cgan.Config{}, "", err
	}
	m, c, err := cgan.LoadGenerator(b, path)
	return m, c, path, err
}

func sampleCGAN(fs *flag.FlagSet, args []string) error {
	dataset := fs.String("dataset", "mnist", "which shipped generator to use without -checkpoint: mnist or fashion")
	checkpoint := fs.String("checkpoint", "", "a training output directory, checkpoint directory or .gob file (default: the shipped generator of -dataset)")
	label := fs.Int("label", -1, "class label of every sample; -1: a class grid (one row per class, the same z down each column)")
	n := fs.Int("n", 64, "number of samples (with -label -1: columns of the class grid = n / classes)")
	out := fs.String("o", "samples.png", "output: .png (a grid) or .idx (IDX3 uint8 images, MNIST convention: 0 = background)")
	seed := fs.Uint64("seed", 1, "noise seed")
	newBackend := cli.BackendFlag(fs)
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	name, err := datasetName(*dataset)
	if err != nil {
		return err
	}
	ext, err := sampleOutput(*out, *n)
	if err != nil {
		return err
	}
	b, err := newBackend()
	if err != nil {
		return err
	}
	tr, c, source, err := cganGenerator(b, *checkpoint, name)
	if err != nil {
		return err
	}
	if *label < -1 || *label >= c.Classes {
		return cli.Usagef("-label %d: want a class in [0, %d), or -1 for a class grid", *label, c.Classes)
	}
	if err := tr.Store.SetRNGStateFromSeed(int64(*seed)); err != nil {
		return err
	}
	var samples *tensors.Tensor
	cols := 0
	if *label == -1 {
		cols = max(*n/c.Classes, 1)
		if _, samples, err = cgan.ClassGrid(tr, cols, *seed); err != nil {
			return err
		}
	} else {
		labels := make([]int, *n)
		for i := range labels {
			labels[i] = *label
		}
		if samples, err = tr.SampleLabeled(labels); err != nil {
			return err
		}
	}
	if err := writeSamples(*out, ext, samples, cols); err != nil {
		return err
	}
	what := "a class grid"
	if *label >= 0 {
		what = fmt.Sprintf("label %d", *label)
	}
	fmt.Printf("wrote %d samples (%s) of %s to %s\n", samples.Shape().Dimensions[0], what, source, *out)
	return nil
}

func evalCGAN(fs *flag.FlagSet, args []string) error {
	dataset := fs.String("dataset", "mnist", "mnist or fashion: the shipped generator (without -checkpoint), the classifier and the real test set")
	checkpoint := fs.String("checkpoint", "", "generator: a training output directory, checkpoint directory or .gob file")
	classifierPath := fs.String("classifier", "", "classifier file (default: the shipped classifier of -dataset)")
	n := fs.Int("n", 10000, "generated samples (balanced over the labels) and real images to measure")
	seed := fs.Uint64("seed", 1, "noise seed")
	jsonOut := fs.String("json", "", "also write the reports as JSON to this file")
	newBackend := cli.BackendFlag(fs)
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *n < 2 {
		return cli.Usagef("-n must be ≥ 2")
	}
	name, train, test, err := loadLabelled(*dataset)
	if err != nil {
		return err
	}
	b, err := newBackend()
	if err != nil {
		return err
	}
	c, err := loadClassifier(b, *classifierPath, name)
	if err != nil {
		return err
	}
	tr, mc, source, err := cganGenerator(b, *checkpoint, name)
	if err != nil {
		return err
	}
	if mc.Classes != len(c.Classes) {
		return fmt.Errorf("the generator has %d classes, the classifier %d", mc.Classes, len(c.Classes))
	}
	if err := tr.Store.SetRNGStateFromSeed(int64(*seed)); err != nil {
		return err
	}
	labels := cgan.BalancedLabels(*n, mc.Classes)
	tr.Progress = progress.Reporter("sample")
	samples, err := tr.SampleLabeled(labels)
	tr.Progress = nil
	if err != nil {
		return err
	}
	gen, real, err := reportAgainstReal(c, name, train, test, samples, labels, *n, source)
	if err != nil {
		return err
	}
	if tr.HasDiscriminator() {
		m := min(*n, test.N)
		cases, err := cgan.FourCases(tr, eval.SetTensor(test, m), test.Labels, m, *seed)
		if err != nil {
			return err
		}
		fmt.Printf("\nthe trained discriminator on %d %s test images and %d generated ones (the seed's four cases):\n", m, name, m)
		cgan.WriteFourCases(os.Stdout, cases)
	}
	return writeReportsJSON(*jsonOut, gen, real)
}
