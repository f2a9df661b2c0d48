package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/internal/cli"
)

// runXLAInstall installs an XLA PJRT plugin (backend.InstallXLA): the only command that downloads.
func runXLAInstall(fs *flag.FlagSet, args []string) error {
	plugin := fs.String("plugin", "cpu", "cpu or cuda")
	path := fs.String("path", "", "a lib directory under which go-xla/ is created (default: ~/.local/lib)")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	dir, err := backend.InstallXLA(*plugin, *path)
	if errors.Is(err, backend.ErrUnknownPlugin) {
		return cli.Usagef("-plugin %q: want cpu or cuda", *plugin)
	} else if err != nil {
		return err
	}
	fmt.Printf("XLA %s plugin installed in %s\n", *plugin, dir)
	return nil
}
