package backend

import (
	"runtime/debug"
	"sync"
)

// Heap headroom: a workaround for an upstream memory fault.
//
// Go 1.27's simd/archsimd loads the last few elements of a slice with Load…Part, which reads
// a whole vector (up to 64 bytes) and masks it afterwards; the go backend's kernels use it for
// every tail (TestUpstreamSIMDTailLoadReadsPastTheSlice). The read faults only when the slice
// ends right before an unmapped page. Inside Go's heap the only such page is the heap's
// frontier: the runtime maps its heap in 4 MiB steps and never unmaps it (returned memory stays
// mapped, reading as zeros). A backend buffer whose size divides 4 MiB, allocated as the heap
// grows, can end exactly there. In CI that crashed a scatter-add during training and an Add
// during inference (RELIABILITY.md, "Crashes below Go").
//
// Growing the heap once, at start, by more than the process will ever hold moves the frontier
// beyond every later allocation: the runtime reuses the lowest free addresses first, so
// buffers are placed below it. The pages are never touched, so they cost address space, not
// memory (resident size is unchanged), and they are returned at once.

// headroomBytes is how far the heap is grown: enough for the largest model here (the paper's
// 64×64 DCGAN at width 128 holds a few GiB), but at most half the machine's memory, so that
// the kernel's overcommit heuristic never refuses the mapping.
func headroomBytes() int {
	const max = 4 << 30
	if ram := totalMemory(); ram > 0 && ram/2 < max {
		return int(ram / 2)
	}
	return max
}

var reserveOnce sync.Once

// reserveHeapHeadroom grows the heap by headroomBytes and frees it again (once per process), in
// 64 MiB pieces: a single allocation that overlaps pages the heap held before is zeroed whole by
// the runtime, touching every page (TestHeapHeadroomTouchesNoPages); pieces beyond the old heap
// are fresh memory, which the runtime knows to be zero.
func reserveHeapHeadroom() {
	reserveOnce.Do(func() {
		func() {
			const chunk = 64 << 20
			grow := make([][]byte, 0, headroomBytes()/chunk)
			for range cap(grow) {
				b := make([]byte, chunk)
				b[len(b)-1] = 1 // one page touched: the allocation is not optimised away
				grow = append(grow, b)
			}
		}()
		debug.FreeOSMemory() // collects it and returns its pages; they stay mapped
	})
}
