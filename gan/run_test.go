package gan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// lossesOf is a history without its wall-clock column: what two equal runs share bit for bit.
func lossesOf(h *History) []StepRecord {
	out := append([]StepRecord(nil), h.Steps...)
	for i := range out {
		out[i].Seconds = 0
	}
	return out
}

func toyRun(t *testing.T, dir string, opts RunOptions) (*Trainer, RunResult, string, error) {
	t.Helper()
	tr := newToyTrainer(t, Toy1DConfig())
	tr.Name = "gan1d"
	var log bytes.Buffer
	opts.Dir, opts.Progress, opts.KeepSignals = dir, &log, true
	res, err := Run(context.Background(), tr, opts)
	return tr, res, log.String(), err
}

// TestRunCheckpointsAndResumes: Run writes checkpoints on its interval and at the end, keeps the
// newest Keep, refuses a directory with checkpoints unless resuming, and a run stopped half-way
// and resumed ends bit for bit as a straight one, OnStep seeing every step once.
func TestRunCheckpointsAndResumes(t *testing.T) {
	straight, _, _, err := toyRun(t, t.TempDir(), RunOptions{Steps: 30})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var seen []int
	onStep := func(step int) error { seen = append(seen, step); return nil }
	_, res, _, err := toyRun(t, dir, RunOptions{Steps: 13, CheckpointEvery: 5, Keep: 2, OnStep: onStep})
	if err != nil || res.Interrupted || filepath.Base(res.LastCheckpoint) != CheckpointName(13) {
		t.Fatalf("first leg: %v %+v", err, res)
	}
	files, _ := ListCheckpoints(CheckpointDir(dir))
	if len(files) != 2 || filepath.Base(files[0]) != CheckpointName(10) {
		t.Fatalf("kept %v, want steps 10 and 13", files)
	}
	if _, _, _, err := toyRun(t, dir, RunOptions{Steps: 30}); !errors.Is(err, ErrCheckpointsExist) {
		t.Fatalf("a second run into the same directory: %v", err)
	}
	if _, _, _, err := toyRun(t, t.TempDir(), RunOptions{Steps: 30, Resume: true}); !errors.Is(err, ErrNoCheckpoint) {
		t.Fatalf("resuming an empty directory: %v", err)
	}
	restored := 0
	resumed, res, log, err := toyRun(t, dir, RunOptions{Steps: 30, CheckpointEvery: 5, Resume: true, OnStep: onStep,
		AfterRestore: func() (string, error) { restored++; return "reconciled", nil }})
	if err != nil || res.Resumed != 13 || restored != 1 || !strings.Contains(log, "resumed from") || !strings.Contains(log, "reconciled") {
		t.Fatalf("resume: %v %+v restored %d\n%s", err, res, restored, log)
	}
	if !reflect.DeepEqual(lossesOf(straight.History), lossesOf(resumed.History)) {
		t.Fatal("the resumed run's history differs from the straight run's")
	}
	if len(seen) != 30 || seen[0] != 1 || seen[29] != 30 {
		t.Fatalf("OnStep saw %v", seen)
	}
}

// TestRunInterruptSaves: a cancelled context ends the run after the current step with a
// checkpoint, and Interrupted set.
func TestRunInterruptSaves(t *testing.T) {
	tr := newToyTrainer(t, Toy1DConfig())
	tr.Name = "gan1d"
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	res, err := Run(ctx, tr, RunOptions{Steps: 1000, Dir: dir, Progress: io.Discard, KeepSignals: true,
		OnStep: func(step int) error {
			if step == 7 {
				cancel()
			}
			return nil
		}})
	if err != nil || !res.Interrupted || tr.Step() != 7 || filepath.Base(res.LastCheckpoint) != CheckpointName(7) {
		t.Fatalf("interrupt: %v %+v at step %d", err, res, tr.Step())
	}
	if _, err := os.Stat(res.LastCheckpoint); err != nil {
		t.Fatal(err)
	}
}

// lockedBuffer is a bytes.Buffer that a watcher goroutine may write while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestRunEndIsNotReportedAsAnInterrupt: with Run's own signal handling, a run that simply ends
// never prints the interrupt message, even when its signal watcher is scheduled late (it once
// raced with the deferred cancellation of its context and printed it about half the time).
func TestRunEndIsNotReportedAsAnInterrupt(t *testing.T) {
	dir := t.TempDir()
	if _, _, _, err := toyRun(t, dir, RunOptions{Steps: 2}); err != nil {
		t.Fatal(err)
	}
	tr := newToyTrainer(t, Toy1DConfig())
	tr.Name = "gan1d"
	var log lockedBuffer
	for range 40 {
		if _, err := Run(context.Background(), tr, RunOptions{Steps: 2, Dir: dir, Resume: true, Progress: &log}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Millisecond) // a late watcher would print now
	}
	if strings.Contains(log.String(), "interrupted") {
		t.Fatalf("a finished run was reported as interrupted:\n%s", log.String())
	}
}

// TestRunDivergenceNamesTheLastCheckpoint: a NaN loss stops the run with a *DivergenceError
// that names the last good checkpoint.
func TestRunDivergenceNamesTheLastCheckpoint(t *testing.T) {
	tr := newToyTrainer(t, Toy1DConfig())
	tr.Name = "gan1d"
	_, err := Run(context.Background(), tr, RunOptions{Steps: 200, Dir: t.TempDir(), CheckpointEvery: 1, Progress: io.Discard, KeepSignals: true,
		OnStep: func(step int) error {
			if step == 5 {
				return tr.SetLearningRates(1e30, 1e30)
			}
			return nil
		}})
	var div *DivergenceError
	if !errors.As(err, &div) || filepath.Base(div.LastCheckpoint) != CheckpointName(div.Step-1) || !strings.Contains(err.Error(), "last good checkpoint") {
		t.Fatalf("want a divergence naming a checkpoint, got %v", err)
	}
}

// TestRunLocksItsDirectory: a second run on a directory in use is refused before it trains,
// naming the holder's PID; a directory that cannot be created fails before the first step.
func TestRunLocksItsDirectory(t *testing.T) {
	dir := t.TempDir()
	unlock, err := lockRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	steps := 0
	onStep := func(int) error { steps++; return nil }
	_, _, _, err = toyRun(t, dir, RunOptions{Steps: 5, OnStep: onStep})
	if !errors.Is(err, ErrRunLocked) || !strings.Contains(err.Error(), fmt.Sprintf("PID %d", os.Getpid())) || steps != 0 {
		t.Fatalf("second run: %v after %d steps", err, steps)
	}
	unlock()
	if _, _, _, err := toyRun(t, dir, RunOptions{Steps: 5, OnStep: onStep}); err != nil || steps != 5 {
		t.Fatalf("after the lock is released: %v, %d steps", err, steps)
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	steps = 0
	if _, _, _, err := toyRun(t, filepath.Join(file, "run"), RunOptions{Steps: 5, OnStep: onStep}); err == nil || steps != 0 {
		t.Fatalf("an uncreatable directory: %v after %d steps", err, steps)
	}
}

// TestRunRefusesAGeneratorFileAsCheckpoint: a generator file copied into checkpoints/ has no
// discriminator, optimizer state or data position; resuming from it is refused.
func TestRunRefusesAGeneratorFileAsCheckpoint(t *testing.T) {
	tr := newToyTrainer(t, Toy1DConfig())
	dir := t.TempDir()
	if err := tr.SaveGenerator(filepath.Join(CheckpointDir(dir), CheckpointName(0)), "gan1d"); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := toyRun(t, dir, RunOptions{Steps: 5, Resume: true}); err == nil || !strings.Contains(err.Error(), "not a training checkpoint") {
		t.Fatalf("resume from a generator file: %v", err)
	}
}
