package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/dcgan"
	"github.com/ganlab/ganlab/eval"
	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/internal/cli"
	"github.com/ganlab/ganlab/internal/progress"
)

func init() {
	trainers["classifier"] = cli.Target{Summary: "the evaluation classifier for mnist or fashion (its features feed the Fréchet distance)", Run: trainClassifier}
	evals["dcgan"] = cli.Target{Summary: "classifier score, Fréchet classifier distance and class histogram of DCGAN samples, beside real images", Run: evalDCGAN}
}

func trainClassifier(fs *flag.FlagSet, args []string) error {
	dataset := fs.String("dataset", "mnist", "mnist or fashion")
	out := fs.String("out", "", "output file (default out/classifier-<dataset>.gob)")
	cfg := eval.DefaultClassifierConfig()
	fs.IntVar(&cfg.Epochs, "epochs", cfg.Epochs, "passes over the training set")
	fs.IntVar(&cfg.BatchSize, "batch", cfg.BatchSize, "batch size")
	fs.Float64Var(&cfg.LearningRate, "lr", cfg.LearningRate, "Adam learning rate of the first epoch")
	fs.Float64Var(&cfg.Decay, "decay", cfg.Decay, "learning-rate factor applied after each epoch")
	fs.IntVar(&cfg.Shift, "shift", cfg.Shift, "random translation of training images by up to this many pixels (0: none)")
	fs.IntVar(&cfg.Width, "width", cfg.Width, "channels of the first convolution (the second has twice as many)")
	fs.BoolVar(&cfg.Flip, "flip", cfg.Flip, "mirror training images left-right at random (for Fashion-MNIST)")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	newBackend := cli.BackendFlag(fs)
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if cfg.Epochs <= 0 || cfg.BatchSize <= 0 || cfg.Width <= 0 || !(cfg.LearningRate > 0) || !(cfg.Decay > 0 && cfg.Decay <= 1) {
		return cli.Usagef("-epochs, -batch, -width and -lr must be > 0 and -decay in (0, 1]")
	}
	name, train, test, err := loadLabelled(*dataset)
	if err != nil {
		return err
	}
	if *out == "" {
		*out = filepath.Join("out", "classifier-"+name+".gob")
	}
	b, err := newBackend()
	if err != nil {
		return err
	}
	var bar *progress.Bar
	c, err := eval.TrainClassifier(b, name, train, test, cfg, func(step, total int, loss float64) {
		if bar == nil {
			bar = progress.New("train classifier "+name, total)
		}
		bar.Set(step, fmt.Sprintf("loss %.4f", loss))
	})
	if err != nil {
		return err
	}
	bar.Finish("done")
	if err := c.Save(*out); err != nil {
		return err
	}
	fmt.Printf("classifier %s: test accuracy %.2f%% after %d steps; saved %s\n", name, 100*c.TestAccuracy, c.Steps, *out)
	return nil
}

// loadClassifier reads -classifier, or the shipped classifier of the dataset.
func loadClassifier(b backendT, path, dataset string) (*eval.Classifier, error) {
	path, err := modelFile(path, shippedClassifier(dataset))
	if err != nil {
		return nil, err
	}
	return eval.LoadClassifier(b, path)
}

func evalDCGAN(fs *flag.FlagSet, args []string) error {
	checkpoint := fs.String("checkpoint", "", "generator: a training output directory, checkpoint directory or .gob file (default: the shipped pretrained DCGAN-MNIST)")
	classifierPath := fs.String("classifier", "", "classifier file (default: the shipped MNIST classifier)")
	n := fs.Int("n", 10000, "generated samples (and real images) to measure")
	seed := fs.Uint64("seed", 1, "noise seed")
	jsonOut := fs.String("json", "", "also write the reports as JSON to this file")
	run := fs.String("run", "", "instead: measure every checkpoint of this training output directory and write score-curve.csv and score-curve.png into it")
	truncation := truncationFlag(fs)
	newBackend := cli.BackendFlag(fs)
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *n < 2 {
		return cli.Usagef("-n must be ≥ 2")
	}
	if err := checkTruncation(*truncation); err != nil {
		return err
	}
	if *run != "" && *truncation != 0 {
		return cli.Usagef("-truncation applies to one generator, not to -run's score curve")
	}
	b, err := newBackend()
	if err != nil {
		return err
	}
	name, train, test, err := loadLabelled("mnist")
	if err != nil {
		return err
	}
	c, err := loadClassifier(b, *classifierPath, name)
	if err != nil {
		return err
	}
	if *run != "" {
		return scoreCurve(b, c, test, *run, *n, *seed)
	}
	samples, source, err := dcganSamples(b, *checkpoint, *n, *seed, *truncation)
	if err != nil {
		return err
	}
	gen, real, err := reportAgainstReal(c, "MNIST", train, test, samples, nil, *n, source)
	if err != nil {
		return err
	}
	return writeReportsJSON(*jsonOut, gen, real)
}

// dcganSamples draws n samples from a DCGAN generator (the shipped one when path is empty),
// with z truncated at truncation when it is > 0 (gan.TruncatedNoise).
func dcganSamples(b backendT, path string, n int, seed uint64, truncation float64) (*tensors.Tensor, string, error) {
	tr, source, err := loadSeededDCGAN(b, path, seed)
	if err != nil {
		return nil, "", err
	}
	tr.Progress = progress.Reporter("sample")
	if truncation == 0 {
		out, err := tr.Sample(n)
		return out, source, err
	}
	z, err := gan.TruncatedNoise(n, tr.Config.LatentDim, seed, truncation)
	if err != nil {
		return nil, "", err
	}
	out, err := tr.Generate(z)
	return out, fmt.Sprintf("%s, z truncated at ±%g", source, truncation), err
}

// truncationFlag declares -truncation of the DCGAN samplers; checkTruncation validates it.
func truncationFlag(fs *flag.FlagSet) *float64 {
	return fs.Float64("truncation", 0, "draw each component of z from N(0, 1) truncated to ±T (BigGAN's truncation trick: surer samples, less diversity); 0: off, the generator's own prior")
}

func checkTruncation(t float64) error {
	if t != 0 && gan.CheckTruncation(t) != nil {
		return cli.Usagef("-truncation must be 0 (off) or a finite number ≥ %g, got %g", gan.MinTruncation, t)
	}
	return nil
}

// loadSeededDCGAN loads a DCGAN generator (the shipped one when path is empty) with its noise
// seeded by seed, and describes it in one line.
func loadSeededDCGAN(b backendT, path string, seed uint64) (*gan.Model, string, error) {
	path, err := modelFile(path, shippedDCGAN())
	if err != nil {
		return nil, "", err
	}
	tr, mc, err := dcgan.LoadGenerator(b, path)
	if err != nil {
		return nil, "", err
	}
	if err := tr.Store.SetRNGStateFromSeed(int64(seed)); err != nil { // the file's RNG state must not decide the samples
		return nil, "", err
	}
	return tr, fmt.Sprintf("%s (%s preset %d×%d×%d, step %d)", path, mc.Preset, mc.ImageSize, mc.ImageSize, mc.Channels, tr.Step()), nil
}

// writeReportsJSON writes the reports as JSON to path (nothing when path is empty).
func writeReportsJSON(path string, reports ...eval.Report) error {
	if path == "" {
		return nil
	}
	fh, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := eval.WriteJSON(fh, reports...); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}

// reportAgainstReal measures generated samples beside n real training images and prints the
// table (eval.Classifier.AgainstReal).
func reportAgainstReal(c *eval.Classifier, dataset string, train, test *datasets.ImageSet, samples *tensors.Tensor, labels []int, n int, source string) (gen, real eval.Report, err error) {
	c.Progress = progress.Reporter("classify")
	if gen, real, err = c.AgainstReal(train, test, samples, labels, n); err != nil {
		return gen, real, err
	}
	fmt.Printf("generator %s; classifier %s (test accuracy %.2f%%); reference: the %d %s test images\n\n", source, c.Name, 100*c.TestAccuracy, test.N, dataset)
	eval.WriteTable(os.Stdout, c.Classes, gen, real)
	return gen, real, nil
}

// scoreCurve measures every checkpoint of a training run (n samples each, against the test set)
// and writes run/score-curve.csv and run/score-curve.png.
func scoreCurve(b backendT, c *eval.Classifier, test *datasets.ImageSet, run string, n int, seed uint64) error {
	files, err := gan.ListCheckpoints(gan.CheckpointDir(run))
	if err != nil || len(files) == 0 {
		return cli.Usagef("-run %s: no checkpoints in %s", run, gan.CheckpointDir(run))
	}
	reference, err := c.Reference(eval.SetTensor(test, 0))
	if err != nil {
		return err
	}
	bar := progress.New("eval checkpoints", len(files))
	points, err := c.Curve(len(files), reference, func(i int) (int, *tensors.Tensor, error) {
		m, _, err := loadSeededDCGAN(b, files[i], seed)
		if err != nil {
			return 0, nil, err
		}
		samples, err := m.Sample(n)
		return m.Step(), samples, err
	}, func(i int, p eval.CurvePoint) {
		bar.Set(i+1, fmt.Sprintf("step %d: score %.2f", p.Step, p.Report.ClassifierScore))
	})
	if err != nil {
		return err
	}
	bar.Finish("done")
	fmt.Print(eval.CurveCSV(points))
	path, err := eval.WriteCurve(run, points, n)
	if err != nil {
		return err
	}
	fmt.Printf("wrote %s and %s\n", path, filepath.Join(run, "score-curve.csv"))
	return nil
}
