// Package pretrained ships ganlab's trained weights inside the binary: the evaluation classifiers
// and the pretrained generators. Each file's README.md entry states the exact command and seed
// that produced it; `make pretrained` regenerates them all.
package pretrained

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

//go:embed *.gob
var files embed.FS

// Names lists the shipped files.
func Names() []string {
	entries, _ := fs.ReadDir(files, ".")
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// Path returns a file system path of the shipped file name: the copy in the user's cache
// directory (~/.cache/ganlab/pretrained; without a home directory, a directory of the user's own
// under the temporary directory), written from the embedded data when missing or stale. A
// directory that belongs to another user is refused: its owner could replace the file between
// the check and the load.
func Path(name string) (string, error) {
	data, err := files.ReadFile(name)
	if err != nil {
		return "", fmt.Errorf("no shipped pretrained file %q (have %v)", name, Names())
	}
	dir, err := os.UserCacheDir()
	if err == nil {
		dir = filepath.Join(dir, "ganlab", "pretrained")
	} else {
		dir = filepath.Join(os.TempDir(), fmt.Sprintf("ganlab-%d", os.Getuid()), "pretrained")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	if owner, mine := ownedByMe(dir); !mine {
		return "", fmt.Errorf("%s belongs to user %d, not to you: remove it, or set HOME", dir, owner)
	}
	path := filepath.Join(dir, name)
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return path, nil
	}
	tmp := path + fmt.Sprintf(".tmp%d", os.Getpid())
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return "", err
	}
	return path, os.Rename(tmp, path)
}
