package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/internal/cli"
)

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
