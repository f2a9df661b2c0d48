//go:build !noxla && cgo

package backend

import (
	"os"

	"github.com/gomlx/go-xla/compute/xla" // registers "xla"; the auto-installer is deliberately not imported.
)

// installedXLAPlugins lists PJRT plugins already on this machine, without downloading any.
func installedXLAPlugins() []string {
	xla.EnableAutoInstall(false)
	_ = os.Setenv("GOMLX_NO_AUTO_INSTALL", "1") // belt and braces for code paths that re-read it
	return xla.GetAvailablePlugins()
}
