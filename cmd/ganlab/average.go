package main

import (
	"flag"
	"fmt"

	"github.com/ganlab/ganlab/dcgan"
	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/internal/cli"
	"github.com/ganlab/ganlab/internal/progress"
)

// runAverage writes a generator whose weights are the mean of several checkpoints of one run
// (gan.Model.LoadAverage: averaging the iterates).
func runAverage(fs *flag.FlagSet, args []string) error {
	out := fs.String("o", "", "output generator file (.gob), e.g. pretrained/dcgan-mnist.gob")
	last := fs.Int("last", 5, "with a checkpoint directory: average its newest N checkpoints")
	calibration := fs.Int("calibration-batches", 100, "batches of noise (250 each) that recompute the batch-norm statistics of the averaged weights")
	newBackend := cli.BackendFlag(fs)
	if err := cli.Parse(fs, args, 1<<20); err != nil {
		return err
	}
	paths := fs.Args()
	if *out == "" || len(paths) == 0 || *calibration < 0 || *last <= 0 {
		return cli.Usagef("usage: ganlab average -o FILE [-last N > 0] [-calibration-batches B ≥ 0] DIR | CKPT...")
	}
	if files := gan.NewestCheckpoints(paths[0], *last); len(paths) == 1 && len(files) > 0 {
		paths = files // a run or checkpoint directory
	}
	if err := cli.CheckOutput(*out, ".gob", paths...); err != nil {
		return err
	}
	b, err := newBackend()
	if err != nil {
		return err
	}
	tr, _, err := dcgan.LoadAveragedGenerator(b, paths, *calibration, progress.Reporter("average"))
	if err == nil {
		err = tr.SaveGenerator(*out, dcgan.ModelName)
	}
	if err == nil {
		fmt.Printf("wrote %s: the mean of %d checkpoints (steps %s), batch-norm statistics from %d batches\n", *out, len(paths), tr.Meta[gan.MetaAveragedSteps], *calibration)
	}
	return err
}

// runExport writes a run's generator as a file to ship (generator weights and batch-norm
// statistics only), optionally rounded to bfloat16 precision.
func runExport(fs *flag.FlagSet, args []string) error {
	out := fs.String("o", "", "output generator file (.gob), e.g. pretrained/dcgan-mnist.gob")
	bfloat16 := fs.Bool("bfloat16", false, "round the weights to bfloat16 precision (kept as float32; the compressed file is about half the size)")
	lastStep := fs.Bool("last-step", false, "export the weights of the last training step even when the run kept their moving average (-ema); needs a checkpoint, not the run's generator.gob")
	newBackend := cli.BackendFlag(fs)
	if err := cli.Parse(fs, args, 1); err != nil {
		return err
	}
	if *out == "" || fs.NArg() != 1 {
		return cli.Usagef("usage: ganlab export -o FILE [-bfloat16] [-last-step] RUN|CHECKPOINT")
	}
	path, err := modelFile(fs.Arg(0), "")
	if err != nil {
		return err
	}
	latest, _ := gan.LatestCheckpoint(path) // when path is a checkpoint directory
	if err := cli.CheckOutput(*out, ".gob", path, latest); err != nil {
		return err
	}
	b, err := newBackend()
	if err != nil {
		return err
	}
	tr, _, err := loadDCGAN(b, path, *lastStep)
	if err != nil {
		return err
	}
	note := ""
	if *bfloat16 {
		var change float64
		change, err = tr.SaveGeneratorBFloat16(*out, dcgan.ModelName)
		note = fmt.Sprintf(", weights rounded to bfloat16 (largest relative change %.2g)", change)
	} else {
		err = tr.SaveGenerator(*out, dcgan.ModelName)
	}
	if err == nil {
		fmt.Printf("wrote %s (step %d)%s\n", *out, tr.Step(), note)
	}
	return err
}
