//go:build unix

package pretrained

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPathRefusesAnotherUsersDirectory: without a home directory the shipped files go to a
// directory of the user's own under $TMPDIR; one that another user created (mode 777) is
// refused rather than trusted.
func TestPathRefusesAnotherUsersDirectory(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to create a directory owned by another user")
	}
	tmp := t.TempDir()
	t.Setenv("HOME", "")
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("TMPDIR", tmp)
	dir := filepath.Join(tmp, "ganlab-0", "pretrained")
	if err := os.MkdirAll(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, 12345, 12345); err != nil {
		t.Fatal(err)
	}
	if _, err := Path(Names()[0]); err == nil || !strings.Contains(err.Error(), "belongs to user 12345") {
		t.Fatalf("another user's directory: %v", err)
	}
	if err := os.Chown(dir, 0, 0); err != nil {
		t.Fatal(err)
	}
	if path, err := Path(Names()[0]); err != nil || !strings.HasPrefix(path, dir) {
		t.Fatalf("own directory: %s %v", path, err)
	}
}
