//go:build goexperiment.simd && amd64

package backend

import (
	"fmt"
	"os"
	"os/exec"
	"simd/archsimd"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// TestUpstreamSIMDTailLoadReadsPastTheSlice documents an upstream bug that ganlab works around
// (headroom.go, gan/fault.go, RELIABILITY.md): Go 1.27's LoadFloat32x16Part, which
// the go backend's kernels use for the last few elements of a buffer, reads a whole 16-element
// vector before masking it, so a 4-element slice that ends just before an unmapped page faults.
// The child process here loads exactly such a slice. When a Go release fixes the load, this test
// fails: then the headroom and gan.Run's recovery can go.
func TestUpstreamSIMDTailLoadReadsPastTheSlice(t *testing.T) {
	if os.Getenv("GANLAB_SIMD_TAIL_CHILD") == "1" {
		page := syscall.Getpagesize()
		mem, err := syscall.Mmap(-1, 0, 2*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
		if err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mprotect(mem[page:], syscall.PROT_NONE); err != nil {
			t.Fatal(err)
		}
		floats := unsafe.Slice((*float32)(unsafe.Pointer(&mem[0])), page/4)
		v, n := archsimd.LoadFloat32x16Part(floats[len(floats)-4:]) // 4 legal elements
		// Whether the load faults depends on the code around it: here, with v unused or only
		// stored, it did not; printed, it does, as it did in the backend's scatter-add.
		fmt.Printf("loaded %d elements without a fault: %v\n", n, v)

		return
	}
	if !archsimd.X86.AVX512() {
		t.Skip("no AVX-512: the 16-element loads are not used on this CPU")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestUpstreamSIMDTailLoadReadsPastTheSlice$")
	cmd.Env = append(os.Environ(), "GANLAB_SIMD_TAIL_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "unexpected fault address") {
		t.Fatalf("the upstream tail load no longer faults (exit %v): drop backend's heap headroom and gan.Run's fault recovery?\n%s", err, out)
	}
}
