package gan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"

	"github.com/ganlab/ganlab/internal/progress"
)

// Trainable is what Run drives: a model with its optimizers and data position. *Trainer and
// *avatar.Model implement it.
type Trainable interface {
	// Step is the number of training steps done.
	Step() int
	// TrainOneStep runs one training step and returns a short summary for progress output.
	TrainOneStep() (summary string, err error)
	// SaveCheckpoint writes everything needed to resume exactly to path, atomically.
	SaveCheckpoint(path string) error
	// LoadCheckpoint restores a file written by SaveCheckpoint.
	LoadCheckpoint(path string) error
}

// RunOptions configures Run.
type RunOptions struct {
	// Steps: train until Step() reaches Steps (counting a resumed run's steps).
	Steps int
	// Dir is the run directory; checkpoints go to Dir/checkpoints/ckpt-NNNNNNNN.gob.
	Dir string
	// CheckpointEvery saves a checkpoint after every CheckpointEvery steps (0: only at the end
	// and on interrupt). Keep is how many checkpoints to keep (0: all).
	CheckpointEvery, Keep int
	// Resume continues from the newest checkpoint in Dir/checkpoints. Without it, a directory
	// that already holds checkpoints is refused (ErrCheckpointsExist), so that no run is
	// overwritten by accident.
	Resume bool
	// AfterRestore, if set, runs after every restore (Resume, fault recovery) and may reconcile
	// the caller's configuration with the checkpoint's; a line it returns is printed.
	AfterRestore func() (string, error)
	// OnStep, if set, runs after every new step: figures, snapshots. Steps redone after a fault
	// recovery are not reported twice.
	OnStep func(step int) error
	// Label names the run in progress lines (default "train"). Progress is where they go
	// (default os.Stderr; io.Discard for none).
	Label    string
	Progress io.Writer
	// KeepSignals leaves SIGINT/SIGTERM to the caller; by default the first one ends the run
	// after the current step, with a checkpoint saved.
	KeepSignals bool
	// MaxFaultRecoveries bounds the restarts after memory faults in the compute backend (see
	// Run); 0 means 3, negative means none.
	MaxFaultRecoveries int

	// afterStep is the tests' fault injection: it runs inside the recovery, after OnStep.
	afterStep func(step int)
}

// RunResult says how a Run ended.
type RunResult struct {
	// Interrupted: ctx was cancelled or a signal came; a checkpoint was saved.
	Interrupted bool
	// LastCheckpoint is the newest checkpoint written or restored ("" if none).
	LastCheckpoint string
	// Resumed is the step a resumed run started from (0 for a new run); Recoveries counts
	// fault recoveries.
	Resumed, Recoveries int
}

// Errors of the run directory, for callers that report them as usage mistakes.
var (
	ErrCheckpointsExist = errors.New("the run directory already holds checkpoints")
	ErrNoCheckpoint     = errors.New("no checkpoint to resume from")
	ErrRunLocked        = errors.New("the run directory is locked")
)

// CheckpointDir is where Run keeps a run's checkpoints.
func CheckpointDir(runDir string) string { return filepath.Join(runDir, "checkpoints") }

// Run trains t to opts.Steps: the one training loop of ganlab, shared by the CLI, the notebooks
// and the avatar. It
//   - resumes from the newest checkpoint when opts.Resume (exactly: the checkpoint holds every
//     variable, both optimizers' state, the RNG state and the data position);
//   - saves a checkpoint every opts.CheckpointEvery steps and at the end, keeping opts.Keep;
//   - takes an advisory lock on Dir (a second run on it is refused with ErrRunLocked, naming the
//     holder's PID), which also shows that Dir is writable before the first step;
//   - on SIGINT/SIGTERM or a cancelled ctx, saves a checkpoint and returns with Interrupted set;
//     a second SIGINT/SIGTERM ends the process at once;
//   - on a divergence (*DivergenceError) stops and names the last good checkpoint;
//   - survives memory faults of the compute backend: Go 1.27's experimental SIMD tail loads read
//     past a slice's end and can fault (RELIABILITY.md). Run turns such a fault on its goroutine
//     into an error (debug.SetPanicOnFault), restores the newest checkpoint and continues; since
//     resuming is exact the run ends as it would have without the fault. A fault on one of the
//     backend's worker goroutines still ends the process; the checkpoints bound what is lost.
func Run(ctx context.Context, t Trainable, opts RunOptions) (RunResult, error) {
	var res RunResult
	if opts.Steps <= 0 {
		return res, fmt.Errorf("gan.Run: Steps must be > 0, got %d", opts.Steps)
	}
	if opts.Dir == "" {
		return res, errors.New("gan.Run: a run directory (Dir) is required")
	}
	if opts.Label == "" {
		opts.Label = "train"
	}
	if opts.Progress == nil {
		opts.Progress = os.Stderr
	}
	maxRecoveries := opts.MaxFaultRecoveries
	if maxRecoveries == 0 {
		maxRecoveries = 3
	}
	unlock, err := lockRun(opts.Dir) // one run per directory; fails early if it is not writable
	if err != nil {
		return res, err
	}
	defer unlock()
	ckptDir := CheckpointDir(opts.Dir)
	latest, err := LatestCheckpoint(ckptDir)
	if err != nil {
		return res, err
	}
	restore := func(path string) error {
		if err := t.LoadCheckpoint(path); err != nil {
			return err
		}
		res.LastCheckpoint = path
		if opts.AfterRestore != nil {
			line, err := opts.AfterRestore()
			if err != nil {
				return err
			}
			if line != "" {
				fmt.Fprintln(opts.Progress, line)
			}
		}
		return nil
	}
	switch {
	case opts.Resume && latest == "":
		return res, fmt.Errorf("%w in %s", ErrNoCheckpoint, ckptDir)
	case opts.Resume:
		if err := restore(latest); err != nil {
			return res, err
		}
		res.Resumed = t.Step()
		fmt.Fprintf(opts.Progress, "resumed from %s (step %d)\n", latest, t.Step())
	case latest != "":
		return res, fmt.Errorf("%w (%s): resume the run (-resume), or choose another directory", ErrCheckpointsExist, ckptDir)
	}
	if !opts.KeepSignals {
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
		defer stop()
		// After the first signal the run finishes its step and saves; a second one gets the
		// default behaviour and ends the process at once, so Ctrl-C always works.
		// The watcher is done before Run returns and before the deferred stop() cancels ctx, so
		// that the end of a run is never reported as an interrupt.
		finished, watched := make(chan struct{}), make(chan struct{})
		defer func() { close(finished); <-watched }()
		go func() {
			defer close(watched)
			select {
			case <-ctx.Done():
				stop()
				fmt.Fprintln(opts.Progress, "\ninterrupted: finishing the current step and saving a checkpoint (interrupt again to quit at once, without saving)")
			case <-finished:
			}
		}()
	}
	bar := progress.NewTo(opts.Progress, opts.Label, opts.Steps)
	bar.Resume(t.Step())
	save := func() error {
		path := filepath.Join(ckptDir, CheckpointName(t.Step()))
		if err := saveCheckpoint(t.SaveCheckpoint, path, opts.Keep); err != nil {
			return err
		}
		res.LastCheckpoint = path
		return nil
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	reported := t.Step()
	for {
		err = catchMemoryFault(func() error {
			for t.Step() < opts.Steps {
				if err := ctx.Err(); err != nil {
					return err
				}
				summary, err := t.TrainOneStep()
				if err != nil {
					return err
				}
				step := t.Step()
				bar.Set(step, summary)
				if opts.OnStep != nil && step > reported {
					reported = step
					if err := opts.OnStep(step); err != nil {
						return err
					}
				}
				if opts.afterStep != nil {
					opts.afterStep(step)
				}
				if opts.CheckpointEvery > 0 && step%opts.CheckpointEvery == 0 {
					if err := save(); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if !isMemoryFault(err) || res.Recoveries >= maxRecoveries {
			break
		}
		last, _ := LatestCheckpoint(ckptDir)
		if last == "" {
			break
		}
		res.Recoveries++
		fmt.Fprintf(opts.Progress, "\nmemory fault in the compute backend at step %d (%v) — a known bug of Go 1.27's SIMD tail loads, see RELIABILITY.md; restoring %s and continuing (%d of at most %d)\n",
			t.Step()+1, err, last, res.Recoveries, maxRecoveries)
		if err = restore(last); err != nil {
			break
		}
		bar.Set(t.Step(), "restored "+filepath.Base(last))
	}
	var div *DivergenceError
	switch {
	case errors.As(err, &div):
		div.LastCheckpoint = res.LastCheckpoint
		bar.Finish("diverged")
		return res, div
	case errors.Is(err, context.Canceled):
		if err := save(); err != nil {
			return res, err
		}
		bar.Finish("interrupted")
		res.Interrupted = true
		fmt.Fprintf(opts.Progress, "interrupted at step %d: saved %s; continue with -resume\n", t.Step(), res.LastCheckpoint)
		return res, nil
	case isMemoryFault(err):
		bar.Finish("failed")
		last, _ := LatestCheckpoint(ckptDir)
		if last == "" {
			return res, fmt.Errorf("memory fault in the compute backend at step %d (%v), before the first checkpoint: run the command again, or build without GOEXPERIMENT=simd (slower) if it recurs", t.Step()+1, err)
		}
		return res, fmt.Errorf("memory fault in the compute backend at step %d (%v), after %d restarts; the newest checkpoint is %q: continue with -resume, or build without GOEXPERIMENT=simd (slower) if it recurs", t.Step()+1, err, res.Recoveries, last)
	case err != nil:
		bar.Finish("failed")
		return res, err
	}
	if filepath.Base(res.LastCheckpoint) != CheckpointName(t.Step()) {
		if err := save(); err != nil {
			return res, err
		}
	}
	bar.Finish("done")
	return res, nil
}

// saveCheckpoint writes a checkpoint to path with write and keeps the newest keep files of its
// directory (keep ≤ 0 keeps all). Temporary files of saves that a crash interrupted are removed
// first.
func saveCheckpoint(write func(path string) error, path string, keep int) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("checkpoint directory %s: %w", dir, err)
	}
	if stale, _ := filepath.Glob(filepath.Join(dir, ".ckpt-*.tmp*")); len(stale) > 0 {
		for _, f := range stale {
			_ = os.Remove(f)
		}
	}
	if err := write(path); err != nil {
		return err
	}
	if keep > 0 {
		files, _ := ListCheckpoints(dir)
		for i := 0; i < len(files)-keep; i++ {
			_ = os.Remove(files[i])
		}
	}
	return nil
}
