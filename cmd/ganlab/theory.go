package main

import (
	"flag"

	"github.com/ganlab/ganlab/internal/cli"
)

// runTheory is replaced by the gan package's numerical checks.
func runTheory(fs *flag.FlagSet, args []string) error {
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	return cli.Usagef("theory: not in this build yet")
}
