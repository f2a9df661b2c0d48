//go:build !unix

package gan

import (
	"fmt"
	"os"
)

// lockRun checks that dir can be created; there is no advisory lock on this system.
func lockRun(dir string) (func(), error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("run directory %s: %w", dir, err)
	}
	return func() {}, nil
}
