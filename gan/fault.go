package gan

import (
	"errors"
	"runtime"
)

// Memory faults in the compute backend (see Run).
//
// Go 1.27's experimental SIMD package (GOEXPERIMENT=simd, which the go backend's fast kernels
// use) loads the tail of a slice with LoadFloat32x16Part, which reads a whole 16-element vector
// and masks it afterwards. When a buffer's tail ends just before an unmapped page, the read
// faults (SIGSEGV), and a Go program dies with "fatal error: fault" and a stack trace. The slice
// access is legal Go; the bug is upstream (backend.TestUpstreamSIMDTailLoadReadsPastTheSlice).

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
