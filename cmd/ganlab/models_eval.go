package main

import (
	"flag"
	"fmt"
	"path/filepath"

	"github.com/gomlx/compute"

	"github.com/ganlab/ganlab/eval"
	"github.com/ganlab/ganlab/internal/cli"
	"github.com/ganlab/ganlab/internal/progress"
)

func init() {
	trainers["classifier"] = cli.Target{Summary: "the evaluation classifier for mnist or fashion (its features feed the Fréchet distance)", Run: trainClassifier}
}

func trainClassifier(fs *flag.FlagSet, args []string) error {
	dataset := fs.String("dataset", "mnist", "mnist, fashion, heads-identity (the avatar's identity judge) or heads-attributes (the heads evaluator: one softmax per attribute)")
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
	bfloat16 := fs.Bool("bfloat16", false, "round the trained weights to bfloat16 precision before measuring and saving (kept as float32; the compressed file is about half the size)")
	newBackend := cli.BackendFlag(fs)
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return cli.Usagef("%v (-epochs, -batch, -width, -lr, -decay, -shift)", err)
	}
	name, train, test, err := loadLabelled(*dataset)
	if err != nil {
		return err
	}
	if cfg.Shift >= min(train.H, train.W) {
		return cli.Usagef("-shift %d: want less than the %d×%d images", cfg.Shift, train.H, train.W)
	}
	if *out == "" {
		*out = filepath.Join("out", "classifier-"+name+".gob")
	}
	b, err := newBackend()
	if err != nil {
		return err
	}
	report := progress.StatusReporter("train classifier " + name)
	c, err := eval.TrainClassifier(b, name, train, test, cfg, func(step, total int, loss float64) { report(step, total, fmt.Sprintf("loss %.4f", loss)) })
	if err != nil {
		return err
	}
	if *bfloat16 {
		change, err := c.RoundToBFloat16()
		if err != nil {
			return err
		}
		before := c.TestAccuracy
		if c.TestAccuracy, err = c.Accuracy(test); err != nil {
			return err
		}
		fmt.Printf("weights rounded to bfloat16 (largest relative change %.2g): test accuracy %.2f%% → %.2f%%\n", change, 100*before, 100*c.TestAccuracy)
	}
	if err := c.Save(*out); err != nil {
		return err
	}
	fmt.Printf("classifier %s: test accuracy %.2f%% after %d steps; saved %s\n", name, 100*c.TestAccuracy, c.Steps, *out)
	if c.Attributes != nil {
		probs, _, err := c.Predict(eval.SetTensor(test, 0))
		if err != nil {
			return err
		}
		accuracy, err := c.AttributeAccuracy(probs, test.Labels)
		if err != nil {
			return err
		}
		for i, a := range c.Attributes {
			fmt.Printf("  %-12s %.2f%%\n", a.Name, 100*accuracy[i])
		}
	}
	return nil
}

// loadClassifier reads -classifier, or the shipped classifier of the dataset.
func loadClassifier(b compute.Backend, path, dataset string) (*eval.Classifier, error) {
	path, err := modelFile(path, shippedClassifier(dataset))
	if err != nil {
		return nil, err
	}
	c, err := eval.LoadClassifier(b, path)
	if err == nil && c.Name != dataset {
		return nil, cli.Usagef("%s was trained on %s, not on %s, the images it would judge here", path, c.Name, dataset)
	}
	return c, err
}
