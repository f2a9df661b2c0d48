package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"

	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/internal/cli"
	"github.com/ganlab/ganlab/internal/progress"
)

// ganFlags are the training flags shared by the gan-package models.
type ganFlags struct {
	cfg             gan.Config
	steps           int
	out             string
	checkpointEvery int
	keep            int
	resume          bool
	loss            string
	newBackend      func() (backendT, error)
	fs              *flag.FlagSet
}

func registerGANFlags(fs *flag.FlagSet, model string, defaults gan.Config, steps int) *ganFlags {
	f := &ganFlags{cfg: defaults, fs: fs}
	fs.IntVar(&f.steps, "steps", steps, "generator steps to train (in total, counting a resumed run's)")
	fs.IntVar(&f.cfg.BatchSize, "batch", defaults.BatchSize, "m: real and generated examples per update")
	fs.IntVar(&f.cfg.K, "k", defaults.K, "discriminator updates per generator update (Algorithm 1's k)")
	fs.Float64Var(&f.cfg.LearningRateD, "lr-d", defaults.LearningRateD, "discriminator learning rate (Adam)")
	fs.Float64Var(&f.cfg.LearningRateG, "lr-g", defaults.LearningRateG, "generator learning rate (Adam)")
	fs.Float64Var(&f.cfg.Beta1, "beta1", defaults.Beta1, "Adam β1")
	fs.IntVar(&f.cfg.LatentDim, "z", defaults.LatentDim, "size of the noise vector z")
	fs.StringVar(&f.loss, "loss", defaults.Loss.String(), "generator loss: nonsaturating, minimax or leastsquares")
	fs.BoolVar(&f.cfg.Simultaneous, "simultaneous", defaults.Simultaneous, "the TF DCGAN tutorial's simultaneous update instead of Algorithm 1")
	fs.Uint64Var(&f.cfg.Seed, "seed", defaults.Seed, "random seed (weights, noise, data order)")
	fs.StringVar(&f.out, "out", filepath.Join("out", model), "output directory: checkpoints/, history.csv/json, figures")
	fs.IntVar(&f.checkpointEvery, "checkpoint-every", max(steps/10, 1), "save a checkpoint every N steps (and at the end or on interrupt)")
	fs.IntVar(&f.keep, "keep", 3, "checkpoints to keep")
	fs.BoolVar(&f.resume, "resume", false, "continue from the newest checkpoint in -out/checkpoints")
	f.newBackend = cli.BackendFlag(fs)
	return f
}

// finish validates what flags cannot: the loss name and the configuration.
func (f *ganFlags) finish() error {
	loss, err := gan.ParseGeneratorLoss(f.loss)
	if err != nil {
		return cli.Usagef("%v", err)
	}
	f.cfg.Loss = loss
	if err := f.cfg.Validate(); err != nil {
		return cli.Usagef("%v", err)
	}
	if f.steps <= 0 {
		return cli.Usagef("-steps must be > 0, got %d", f.steps)
	}
	if f.checkpointEvery <= 0 {
		return cli.Usagef("-checkpoint-every must be > 0, got %d", f.checkpointEvery)
	}
	return nil
}

// trainLoop runs tr to f.steps with a progress bar, checkpoints every f.checkpointEvery steps,
// and on SIGINT/SIGTERM saves a checkpoint and returns cleanly. onStep runs after each step
// (snapshots for figures). A divergence names the last good checkpoint.
func trainLoop(tr *gan.Trainer, modelName string, f *ganFlags, onStep func(rec gan.StepRecord) error) error {
	ckptDir := filepath.Join(f.out, "checkpoints")
	if f.resume {
		latest, err := gan.LatestCheckpoint(ckptDir)
		if err != nil {
			return err
		}
		if latest == "" {
			return cli.Usagef("-resume: no checkpoint in %s", ckptDir)
		}
		if err := tr.Load(latest, modelName); err != nil {
			return err
		}
		note, err := f.applyOnResume(tr)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "resumed from %s (step %d)\n%s", latest, tr.Step(), note)
	} else if latest, _ := gan.LatestCheckpoint(ckptDir); latest != "" {
		return cli.Usagef("%s already holds checkpoints: pass -resume to continue, or choose another -out", ckptDir)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	bar := progress.New("train "+modelName, f.steps)
	bar.Resume(tr.Step())
	lastSaved := ""
	save := func() error {
		path, err := tr.Save(ckptDir, modelName, f.keep)
		if err == nil {
			lastSaved = path
		}
		return err
	}
	// See fault.go: a memory fault in the backend becomes this run's error, not a crash.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	faultAt, faultRepeats := testFault()
	recoveries, reported := 0, tr.Step()
	var err error
	for {
		err = catchMemoryFault(func() error {
			return tr.Train(ctx, f.steps, func(rec gan.StepRecord) error {
				bar.Set(rec.Step, fmt.Sprintf("loss_D %.3f loss_G %.3f D(x) %.2f D(G(z)) %.2f", rec.LossD, rec.LossG, rec.DReal, rec.DFake))
				// After a restore the run redoes steps exactly; onStep (figure snapshots) saw
				// them already.
				if onStep != nil && rec.Step > reported {
					reported = rec.Step
					if err := onStep(rec); err != nil {
						return err
					}
				}
				if rec.Step == faultAt {
					if !faultRepeats {
						faultAt = 0
					}
					touchUnmappedPage()
				}
				if rec.Step%f.checkpointEvery == 0 {
					return save()
				}
				return nil
			})
		})
		if !isMemoryFault(err) || recoveries == maxFaultRecoveries {
			break
		}
		latest, _ := gan.LatestCheckpoint(ckptDir)
		if latest == "" {
			break
		}
		recoveries++
		fmt.Fprintf(os.Stderr, "\nmemory fault in the compute backend at step %d (%v) — a known bug of Go 1.27's SIMD tail loads, see RELIABILITY.md; restoring %s and continuing (%d of at most %d)\n",
			tr.Step()+1, err, latest, recoveries, maxFaultRecoveries)
		if err = tr.Load(latest, modelName); err != nil {
			break
		}
		if _, err = f.applyOnResume(tr); err != nil {
			break
		}
		bar.Set(tr.Step(), "restored "+filepath.Base(latest))
	}
	var div *gan.DivergenceError
	switch {
	case errors.As(err, &div):
		div.LastCheckpoint = lastSaved
		if lastSaved == "" {
			div.LastCheckpoint, _ = gan.LatestCheckpoint(ckptDir)
		}
		bar.Finish("diverged")
		return div
	case errors.Is(err, context.Canceled):
		if err := save(); err != nil {
			return err
		}
		bar.Finish("interrupted")
		fmt.Fprintf(os.Stderr, "interrupted at step %d: saved %s; continue with -resume\n", tr.Step(), lastSaved)
		return writeHistory(tr, f.out)
	case isMemoryFault(err):
		bar.Finish("failed")
		last, _ := gan.LatestCheckpoint(ckptDir)
		if last == "" {
			return fmt.Errorf("memory fault in the compute backend at step %d (%v), before the first checkpoint: run the command again, or build without GOEXPERIMENT=simd (slower) if it recurs", tr.Step()+1, err)
		}
		return fmt.Errorf("memory fault in the compute backend at step %d (%v), after %d restarts; the newest checkpoint is %q: continue with -resume, or build without GOEXPERIMENT=simd (slower) if it recurs", tr.Step()+1, err, recoveries, last)
	case err != nil:
		bar.Finish("failed")
		return err
	}
	if lastSaved == "" || tr.Step()%f.checkpointEvery != 0 {
		if err := save(); err != nil {
			return err
		}
	}
	bar.Finish("done")
	return writeHistory(tr, f.out)
}

func writeHistory(tr *gan.Trainer, out string) error {
	for name, write := range map[string]func(*os.File) error{
		"history.csv":  func(w *os.File) error { return tr.History.WriteCSV(w) },
		"history.json": func(w *os.File) error { return tr.History.WriteJSON(w) },
	} {
		fh, err := os.Create(filepath.Join(out, name))
		if err != nil {
			return err
		}
		if err := write(fh); err != nil {
			fh.Close()
			return err
		}
		if err := fh.Close(); err != nil {
			return err
		}
	}
	return nil
}

// applyOnResume reconciles the command line with a resumed run's configuration (which the
// checkpoint holds): -lr-d and -lr-g, when given and different, lower or raise the learning rates
// from here on (a step-wise decay); any other configuration flag that contradicts the checkpoint
// is a mistake, since it could not take effect. It returns a line to print about a change.
func (f *ganFlags) applyOnResume(tr *gan.Trainer) (string, error) {
	given := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	c := tr.Config
	for _, flagCheck := range []struct {
		name string
		same bool
	}{ // in flag order, so that the message names the first contradiction
		{"batch", f.cfg.BatchSize == c.BatchSize}, {"k", f.cfg.K == c.K}, {"beta1", f.cfg.Beta1 == c.Beta1},
		{"z", f.cfg.LatentDim == c.LatentDim}, {"loss", f.cfg.Loss == c.Loss},
		{"simultaneous", f.cfg.Simultaneous == c.Simultaneous}, {"seed", f.cfg.Seed == c.Seed},
	} {
		if given[flagCheck.name] && !flagCheck.same {
			return "", cli.Usagef("-%s differs from the resumed run's configuration, which cannot change (only -lr-d and -lr-g can)", flagCheck.name)
		}
	}
	lrD, lrG := c.LearningRateD, c.LearningRateG
	if given["lr-d"] {
		lrD = f.cfg.LearningRateD
	}
	if given["lr-g"] {
		lrG = f.cfg.LearningRateG
	}
	if lrD == c.LearningRateD && lrG == c.LearningRateG {
		return "", nil
	}
	if err := tr.SetLearningRates(lrD, lrG); err != nil {
		return "", cli.Usagef("%v", err)
	}
	return fmt.Sprintf("learning rates from step %d on: discriminator %g (was %g), generator %g (was %g)\n", tr.Step()+1, lrD, c.LearningRateD, lrG, c.LearningRateG), nil
}
