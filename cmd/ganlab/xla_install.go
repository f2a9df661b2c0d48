package main

import (
	"flag"
	"fmt"
	"path/filepath"

	"github.com/gomlx/go-xla/installer"

	"github.com/ganlab/ganlab/internal/cli"
)

// xlaInstallCommand installs an XLA PJRT plugin with go-xla's installer: the Docker image runs it
// at build time (`-plugin cpu`, or `cuda` with the build argument), so that notebooks and the CLI
// pick XLA without downloading anything at run time. ganlab itself never downloads a plugin
// unless this command is run.
func xlaInstallCommand() cli.Command {
	return cli.Command{Name: "xla-install", Summary: "download and install an XLA PJRT plugin (cpu or cuda) with go-xla's installer", Run: runXLAInstall}
}

func runXLAInstall(fs *flag.FlagSet, args []string) error {
	plugin := fs.String("plugin", "cpu", "cpu or cuda")
	path := fs.String("path", "", "a lib directory under which go-xla/ is created (default: ~/.local/lib)")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	dir := *path
	if dir == "" {
		var err error
		if dir, err = installer.DefaultHomeLibPath(); err != nil {
			return err
		}
	}
	dir = filepath.Join(dir, "go-xla")
	var err error
	switch *plugin {
	case "cpu":
		err = installer.CPUAutoInstall(dir, true, installer.Normal)
	case "cuda":
		err = installer.CudaAutoInstall(dir, true, installer.Normal)
	default:
		return cli.Usagef("-plugin %q: want cpu or cuda", *plugin)
	}
	if err != nil {
		return fmt.Errorf("installing the XLA %s plugin into %s: %w", *plugin, dir, err)
	}
	fmt.Printf("XLA %s plugin installed in %s\n", *plugin, dir)
	return nil
}
