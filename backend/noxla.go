//go:build noxla || !cgo

package backend

// installedXLAPlugins: this binary was built without XLA (tag noxla, or cgo off).
func installedXLAPlugins() []string { return nil }
