package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/gomlx/compute"

	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/internal/cli"
)

// runFlags are the flags of gan.Run, shared by every trainer.
type runFlags struct {
	steps, checkpointEvery, keep int
	out                          string
	resume                       bool
	fs                           *flag.FlagSet
}

func registerRunFlags(fs *flag.FlagSet, out string, steps, checkpointEvery int) *runFlags {
	f := &runFlags{fs: fs}
	fs.IntVar(&f.steps, "steps", steps, "training steps (in total, counting a resumed run's)")
	fs.StringVar(&f.out, "out", out, "output directory: checkpoints/, history, figures, the trained model")
	fs.IntVar(&f.checkpointEvery, "checkpoint-every", checkpointEvery, "save a checkpoint every N steps (and at the end or on interrupt)")
	fs.IntVar(&f.keep, "keep", 3, "checkpoints to keep")
	fs.BoolVar(&f.resume, "resume", false, "continue from the newest checkpoint in -out/checkpoints")
	return f
}

// ganFlags are the training flags shared by the gan-package models.
type ganFlags struct {
	*runFlags
	cfg        gan.Config
	loss       string
	newBackend func() (compute.Backend, error)
	backend    compute.Backend
}

func registerGANFlags(fs *flag.FlagSet, model string, defaults gan.Config, steps int) *ganFlags {
	f := &ganFlags{runFlags: registerRunFlags(fs, filepath.Join("out", model), steps, max(steps/10, 1)), cfg: defaults}
	fs.IntVar(&f.cfg.BatchSize, "batch", defaults.BatchSize, "m: real and generated examples per update")
	fs.IntVar(&f.cfg.K, "k", defaults.K, "discriminator updates per generator update (Algorithm 1's k)")
	fs.Float64Var(&f.cfg.LearningRateD, "lr-d", defaults.LearningRateD, "discriminator learning rate (α of Eq. 16 for sgd)")
	fs.Float64Var(&f.cfg.LearningRateG, "lr-g", defaults.LearningRateG, "generator learning rate (α of Eq. 17 for sgd)")
	fs.Float64Var(&f.cfg.Beta1, "beta1", defaults.Beta1, "Adam β1")
	fs.TextVar(&f.cfg.Optimizer, "optimizer", defaults.Optimizer, "adam, or sgd: the plain gradient steps of Eq. 16–17")
	fs.IntVar(&f.cfg.LatentDim, "z", defaults.LatentDim, "size of the noise vector z")
	fs.StringVar(&f.loss, "loss", defaults.Loss.String(), "generator loss: nonsaturating, minimax, leastsquares or hinge (the last two also change D's loss)")
	fs.BoolVar(&f.cfg.Simultaneous, "simultaneous", defaults.Simultaneous, "the TF DCGAN tutorial's simultaneous update instead of Algorithm 1")
	fs.Float64Var(&f.cfg.EMADecay, "ema", defaults.EMADecay, "keep an exponential moving average of G's weights with this decay (e.g. 0.999); the run's samples, evaluations and exports use it")
	fs.IntVar(&f.cfg.LRDecayFrom, "lr-decay-from", 0, "from this step to the last (-steps), both learning rates fall linearly, to 1/(steps − S + 1) of -lr-d and -lr-g at the last step (0: constant rates)")
	fs.Float64Var(&f.cfg.InstanceNoise, "instance-noise", 0, "add Gaussian noise of this standard deviation to every example D sees in training, real and generated (images are in [−1, 1]), falling linearly to 0 at step -instance-noise-steps; 0: none")
	fs.IntVar(&f.cfg.InstanceNoiseSteps, "instance-noise-steps", 0, "the step at which -instance-noise has fallen to 0 (needed with -instance-noise)")
	fs.Uint64Var(&f.cfg.Seed, "seed", defaults.Seed, "random seed (weights, noise, data order)")
	f.newBackend = cli.BackendFlag(fs)
	return f
}

// parse parses the flags, validates what flags cannot (the loss name, the configuration) and
// makes the backend.
func (f *ganFlags) parse(args []string) error {
	if err := cli.Parse(f.fs, args, 0); err != nil {
		return err
	}
	if f.resume {
		if info, err := gan.ReadCheckpointInfo(gan.CheckpointDir(f.out)); err == nil { // without one, gan.Run says so
			if err := cli.ApplyRecorded(f.fs, recordedFlags(info), info.Path); err != nil {
				return err
			}
		}
	}
	loss, err := gan.ParseGeneratorLoss(f.loss)
	if err != nil {
		return cli.Usagef("%v", err)
	}
	f.cfg.Loss = loss
	if f.cfg.LRDecayFrom != 0 {
		f.cfg.LRDecayTo = f.steps
	}
	if err := f.cfg.Validate(); err != nil {
		return cli.Usagef("%v", err)
	}
	if err := f.check(); err != nil {
		return err
	}
	f.backend, err = f.newBackend()
	return err
}

func (f *runFlags) check() error {
	if f.steps <= 0 || f.checkpointEvery <= 0 {
		return cli.Usagef("-steps and -checkpoint-every must be > 0, got %d and %d", f.steps, f.checkpointEvery)
	}
	return nil
}

// train runs gan.Run on tr with the run flags; afterRestore reconciles the flags with a resumed
// checkpoint (nil: nothing to reconcile). An interrupted run returns interrupted = true after
// saving its checkpoint.
func (f *runFlags) train(tr gan.Trainable, label string, afterRestore func() (string, error), onStep func(step int) error) (interrupted bool, err error) {
	res, err := gan.Run(context.Background(), tr, gan.RunOptions{
		Steps: f.steps, Dir: f.out, CheckpointEvery: f.checkpointEvery, Keep: f.keep, Resume: f.resume,
		AfterRestore: afterRestore, OnStep: onStep, Label: label,
	})
	if errors.Is(err, gan.ErrNoCheckpoint) || errors.Is(err, gan.ErrCheckpointsExist) || errors.Is(err, gan.ErrRunLocked) {
		return false, cli.Usagef("%v", err) // -resume or -out chosen wrongly
	}
	return res.Interrupted, err
}

// trainGAN trains a gan.Trainer with f's flags and writes its history beside the checkpoints.
// An interrupted run saved a checkpoint; the caller's figures show the run so far.
func (f *ganFlags) trainGAN(tr *gan.Trainer, onStep func(step int) error) error {
	record := func() { // the flags that define the run, checked when it is resumed
		tr.Meta = cli.RecordFlags(f.fs, tr.Meta, "steps", "out", "resume", "checkpoint-every", "keep", "backend", "lr-d", "lr-g", "lr-decay-from", "save-discriminator")
	}
	record()
	if err := cli.CheckMemory("-batch", tr.StepMemory()); err != nil {
		return err
	}
	if _, err := f.train(tr, "train "+tr.Name, func() (string, error) { record(); return f.applyOnResume(tr) }, onStep); err != nil {
		return err
	}
	return tr.History.WriteFiles(f.out)
}

// applyOnResume applies -lr-d and -lr-g, when given, to a resumed run from the next step on (a
// step-wise decay), and the linear decay: the checkpoint's first step unless -lr-decay-from is
// given, ending at this run's -steps. Every other flag was reconciled with the checkpoint in
// parse. It returns a line about a change.
func (f *ganFlags) applyOnResume(tr *gan.Trainer) (string, error) {
	c := tr.Config
	lrD, lrG, given := c.LearningRateD, c.LearningRateG, cli.Given(f.fs)
	if given["lr-d"] {
		lrD = f.cfg.LearningRateD
	}
	if given["lr-g"] {
		lrG = f.cfg.LearningRateG
	}
	decay := c
	if given["lr-decay-from"] {
		decay.LRDecayFrom = f.cfg.LRDecayFrom
	}
	decay.LRDecayTo = 0
	if decay.LRDecayFrom != 0 {
		decay.LRDecayTo = f.steps
	}
	if err := decay.Validate(); err != nil {
		return "", cli.Usagef("%v", err)
	}
	var lines []string
	if decay.LRDecayFrom != c.LRDecayFrom || decay.LRDecayTo != c.LRDecayTo {
		tr.Config.LRDecayFrom, tr.Config.LRDecayTo = decay.LRDecayFrom, decay.LRDecayTo
		if err := tr.SetLearningRates(c.LearningRateD, c.LearningRateG); err != nil { // undo a decay already applied
			return "", err
		}
		lines = append(lines, describeDecay(decay))
	}
	line, err := tr.ChangeLearningRates(lrD, lrG)
	if err != nil {
		return "", cli.Usagef("%v", err)
	}
	if line != "" {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n"), nil
}

// describeDecay says what Config.LRDecayFrom and LRDecayTo do.
func describeDecay(c gan.Config) string {
	if c.LRDecayFrom == 0 {
		return "learning rates: constant"
	}
	return fmt.Sprintf("learning rates: linear decay from step %d to step %d (to %.3g of the rates)", c.LRDecayFrom, c.LRDecayTo, c.RateScale(c.LRDecayTo))
}

// recordedFlags are the flags a checkpoint recorded (cli.RecordFlags); a checkpoint written
// before flags were recorded gives those of its training configuration.
func recordedFlags(info gan.CheckpointInfo) map[string]string {
	if recorded := cli.Recorded(info.Meta); len(recorded) > 0 {
		return recorded
	}
	return info.Config.Flags()
}
