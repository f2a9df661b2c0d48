package backend

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestHeapHeadroomKeepsBuffersOffTheFrontier allocates, in a fresh process, 4000 buffers of
// 64 KiB (a size that divides the heap's 4 MiB growth step, like the backend's bucketed
// buffers) and counts those whose next 64 bytes are not mapped: where a SIMD tail load would
// fault. Without the headroom some are (the control); after reserveHeapHeadroom none may be.
func TestHeapHeadroomKeepsBuffersOffTheFrontier(t *testing.T) {
	if mode := os.Getenv("GANLAB_HEADROOM_CHILD"); mode != "" {
		if mode == "reserve" {
			reserveHeapHeadroom()
		}
		fmt.Printf("at the frontier: %d\n", buffersAtTheFrontier(t, 4000, 64<<10))
		return
	}
	count := func(mode string) int {
		return childNumber(t, "TestHeapHeadroomKeepsBuffersOffTheFrontier", mode, "at the frontier: ")
	}
	if n := count("control"); n == 0 {
		t.Fatalf("control: no buffer ended at the heap's frontier, so this test shows nothing; has the runtime's heap growth changed?")
	} else {
		t.Logf("control: %d of 4000 buffers end right before an unmapped page", n)
	}
	if n := count("reserve"); n != 0 {
		t.Errorf("with the headroom reserved, %d of 4000 buffers still end right before an unmapped page", n)
	}
}

// TestHeapHeadroomTouchesNoPages: reserving the headroom in a process whose heap has held
// memory before (a command that loads data before it builds the backend) leaves its peak
// resident size far below the headroom. As one allocation, the headroom overlapped the freed
// pages and the runtime zeroed all of it: 16 s and 4 GiB resident.
func TestHeapHeadroomTouchesNoPages(t *testing.T) {
	if os.Getenv("GANLAB_HEADROOM_CHILD") == "profile" {
		func() { // a heap that held 256 MiB before, as after loading a model
			used := make([][]byte, 0, 256)
			for range cap(used) {
				used = append(used, make([]byte, 1<<20))
				used[len(used)-1][0] = 1
			}
		}()
		runtime.GC()
		reserveHeapHeadroom()
		fmt.Printf("peak resident kB: %d\n", peakResidentKB(t))
		return
	}
	kB := childNumber(t, "TestHeapHeadroomTouchesNoPages", "profile", "peak resident kB: ")
	if limit := headroomBytes() / 4 >> 10; kB > limit {
		t.Fatalf("peak resident size after reserving %d MiB of headroom: %d MiB (limit %d MiB): its pages were touched", headroomBytes()>>20, kB>>10, limit>>10)
	}
}

// childNumber runs test in a fresh process with GANLAB_HEADROOM_CHILD=mode and returns the
// number it prints after label.
func childNumber(t *testing.T, test, mode, label string) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$")
	cmd.Env = append(os.Environ(), "GANLAB_HEADROOM_CHILD="+mode)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child %s: %v\n%s", mode, err, out)
	}
	_, after, ok := strings.Cut(string(out), label)
	n, convErr := strconv.Atoi(strings.Fields(after + " x")[0])
	if !ok || convErr != nil {
		t.Fatalf("child %s printed no %q:\n%s", mode, label, out)
	}
	return n
}

// peakResidentKB reads VmHWM, the process's peak resident size, from /proc/self/status.
func peakResidentKB(t *testing.T) int {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kB, err := strconv.Atoi(strings.Fields(rest)[0])
			if err != nil {
				t.Fatal(err)
			}
			return kB
		}
	}
	t.Fatal("no VmHWM in /proc/self/status")
	return 0
}

// buffersAtTheFrontier allocates n buffers of size bytes, keeps them all, and counts those
// whose last byte + 64 lies outside every readable mapping of /proc/self/maps.
func buffersAtTheFrontier(t *testing.T, n, size int) int {
	keep := make([][]byte, 0, n)
	at := 0
	for range n {
		b := make([]byte, size)
		keep = append(keep, b)
		if !readable(t, uintptr(unsafe.Pointer(unsafe.SliceData(b)))+uintptr(size)+63) {
			at++
		}
	}
	return at
}

// readable reports whether addr lies in a readable mapping of this process.
func readable(t *testing.T, addr uintptr) bool {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text()) // "lo-hi perms offset dev inode path"
		lo, hi, _ := strings.Cut(fields[0], "-")
		l, _ := strconv.ParseUint(lo, 16, 64)
		h, _ := strconv.ParseUint(hi, 16, 64)
		if uint64(addr) >= l && uint64(addr) < h {
			return fields[1][0] == 'r'
		}
	}
	return false
}
