package backend

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/gomlx/go-xla/installer"
)

// InstallXLA downloads and installs the XLA PJRT plugin "cpu" or "cuda" with go-xla's installer
// into libDir/go-xla (libDir "" means ~/.local/lib) and returns that directory. It is the only
// thing in ganlab that downloads: the Docker image runs it at build time, so that notebooks and
// the CLI pick XLA without downloading anything at run time.
func InstallXLA(plugin, libDir string) (string, error) {
	if libDir == "" {
		var err error
		if libDir, err = installer.DefaultHomeLibPath(); err != nil {
			return "", err
		}
	}
	dir := filepath.Join(libDir, "go-xla")
	var err error
	switch plugin {
	case "cpu":
		err = installer.CPUAutoInstall(dir, true, installer.Normal)
	case "cuda":
		err = installer.CudaAutoInstall(dir, true, installer.Normal)
	default:
		return "", fmt.Errorf("%w: %q, want cpu or cuda", ErrUnknownPlugin, plugin)
	}
	if err != nil {
		return "", fmt.Errorf("installing the XLA %s plugin into %s: %w", plugin, dir, err)
	}
	return dir, nil
}

// ErrUnknownPlugin: InstallXLA knows the plugins "cpu" and "cuda".
var ErrUnknownPlugin = errors.New("unknown XLA plugin")
