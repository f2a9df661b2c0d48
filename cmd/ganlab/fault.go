package main

import (
	"errors"
	"os"
	"runtime"
	"strconv"
)

// Memory faults in the compute backend.
//
// Go 1.27's experimental SIMD package (GOEXPERIMENT=simd, which the go backend's fast kernels
// use) loads the tail of a slice with LoadFloat32x16Part, which reads a whole 16-element vector
// and masks it afterwards. When a buffer's tail ends just before an unmapped page, the read
// faults (SIGSEGV), and a Go program dies with "fatal error: fault" and a stack trace: we saw it
// once in a long training run, in the scatter-add of a gradient (RELIABILITY.md). The slice
// access is legal Go; the bug is upstream.
//
// Training therefore runs with debug.SetPanicOnFault: such a fault on the training goroutine
// becomes a panic, GoMLX turns the panic into the step's error, and trainLoop restores the
// newest checkpoint and goes on — resuming is exact, so the run ends as it would have without
// the fault. A fault on one of the backend's worker goroutines still ends the process (the
// setting is per goroutine); the checkpoints bound what is lost.

// maxFaultRecoveries bounds the restarts of one run: a fault that keeps coming back is not the
// rare upstream one, and is reported instead.
const maxFaultRecoveries = 3

// isMemoryFault reports whether err carries a memory fault turned into a panic by
// debug.SetPanicOnFault (a runtime.Error that knows the faulting address).
func isMemoryFault(err error) bool {
	var re runtime.Error
	var addr interface{ Addr() uintptr }
	return errors.As(err, &re) && errors.As(err, &addr)
}

// catchMemoryFault runs fn and returns a memory-fault panic on this goroutine as an error; other
// panics go on.
func catchMemoryFault(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if re, ok := r.(runtime.Error); ok && isMemoryFault(re) {
				err = re
				return
			}
			panic(r)
		}
	}()
	return fn()
}

// testFault says after which step a test makes training fault (GANLAB_TEST_FAULT_AT_STEP; 0:
// never), and whether every time the run gets there (GANLAB_TEST_FAULT_REPEAT=1) or once: the
// recovery is checked with real faults.
func testFault() (step int, repeat bool) {
	step, _ = strconv.Atoi(os.Getenv("GANLAB_TEST_FAULT_AT_STEP"))
	return step, os.Getenv("GANLAB_TEST_FAULT_REPEAT") == "1"
}
