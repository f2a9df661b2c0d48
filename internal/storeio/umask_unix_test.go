//go:build unix

package storeio

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestWritesHonourTheUmask: files are created 0666 less the umask, as os.Create makes them.
func TestWritesHonourTheUmask(t *testing.T) {
	old := syscall.Umask(0o027)
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "x.gob")
	if err := WriteGob(path, 1); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o640 {
		t.Fatalf("mode %v (%v), want 0640 under umask 027", st.Mode().Perm(), err)
	}
}
