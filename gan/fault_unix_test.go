//go:build unix

package gan

import (
	"reflect"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// touchUnmappedPage reads a byte of a page mapped without access rights: a real memory fault,
// as the upstream SIMD tail load makes.
func touchUnmappedPage() byte {
	page := syscall.Getpagesize()
	mem, err := syscall.Mmap(-1, 0, page, syscall.PROT_NONE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		panic(err)
	}
	return *(*byte)(unsafe.Pointer(&mem[0]))
}

// TestRunRecoversFromMemoryFault makes a real memory fault after a step: once (the run restores
// the newest checkpoint and ends exactly as one without the fault, OnStep seeing each step
// once), every time (reported after 3 restarts, naming the checkpoint to resume from), and
// before the first checkpoint (say to run again).
func TestRunRecoversFromMemoryFault(t *testing.T) {
	faultAt := func(at int, repeat bool) func(int) {
		return func(step int) {
			if step == at {
				if !repeat {
					at = -1
				}
				touchUnmappedPage()
			}
		}
	}
	clean, _, _, err := toyRun(t, t.TempDir(), RunOptions{Steps: 60, CheckpointEvery: 25})
	if err != nil {
		t.Fatal(err)
	}
	var seen []int
	faulted, res, log, err := toyRun(t, t.TempDir(), RunOptions{Steps: 60, CheckpointEvery: 25,
		OnStep: func(step int) error { seen = append(seen, step); return nil }, afterStep: faultAt(45, false)})
	if err != nil || res.Recoveries != 1 || !strings.Contains(log, "memory fault in the compute backend at step 46") || !strings.Contains(log, "ckpt-00000025.gob and continuing") {
		t.Fatalf("faulted run: %v %+v\n%s", err, res, log)
	}
	if !reflect.DeepEqual(lossesOf(clean.History), lossesOf(faulted.History)) || len(faulted.History.Steps) != 60 {
		t.Fatal("the recovered run's history differs from the clean run's")
	}
	if len(seen) != 60 {
		t.Fatalf("OnStep ran %d times for 60 steps (redone steps reported twice?)", len(seen))
	}
	_, res, log, err = toyRun(t, t.TempDir(), RunOptions{Steps: 60, CheckpointEvery: 25, afterStep: faultAt(45, true)})
	if err == nil || res.Recoveries != 3 || !strings.Contains(err.Error(), "after 3 restarts") || !strings.Contains(err.Error(), "ckpt-00000025.gob") || strings.Count(log, "and continuing") != 3 {
		t.Fatalf("recurring fault: %v %+v\n%s", err, res, log)
	}
	_, _, _, err = toyRun(t, t.TempDir(), RunOptions{Steps: 60, CheckpointEvery: 25, afterStep: faultAt(10, false)})
	if err == nil || !strings.Contains(err.Error(), "before the first checkpoint: run the command again") {
		t.Fatalf("fault before any checkpoint: %v", err)
	}
}
