package main

// The commands that stand alone: theory, version, xla-install.

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/internal/cli"
)

// runTheory prints, for several density pairs, V(D*, G) next to 2·JS(p_data‖p_g) − 2·log 2
// (Goodfellow et al. 2014, Theorem 1), each computed its own way, with V(D*, G) from samples and
// from a trained discriminator (gan.CheckPairs); it fails when the identity or the sampled
// estimate disagrees.
func runTheory(fs *flag.FlagSet, args []string) error {
	asJSON := fs.Bool("json", false, "print the reports as JSON")
	newBackend := cli.BackendFlag(fs)
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	b, err := newBackend()
	if err != nil {
		return err
	}
	reports, failure, err := gan.CheckPairs(b, gan.StandardTheoryPairs(), gan.DefaultGrid, 1)
	if err != nil {
		return err
	}
	if *asJSON {
		err = cli.WriteJSON("-", reports)
	} else {
		gan.WriteTheoryTable(os.Stdout, reports, gan.DefaultGrid)
	}
	return cmp.Or(err, failure)
}

// Version of ganlab.
const Version = "0.1.0-dev"

func runVersion(fs *flag.FlagSet, args []string) error {
	explicit := fs.String("backend", "", "backend to report on (see ganlab train -h)")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	fmt.Printf("ganlab %s\n%s\n", Version, strings.Join(backend.Report(*explicit), "\n"))
	return nil
}

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
