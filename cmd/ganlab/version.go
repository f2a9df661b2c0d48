package main

import (
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"

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
	fmt.Printf("ganlab %s\n", Version)
	fmt.Printf("go     %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			switch dep.Path {
			case "github.com/gomlx/gomlx", "github.com/gomlx/compute", "github.com/gomlx/go-xla":
				fmt.Printf("%-6s %s %s\n", "dep", dep.Path, dep.Version)
			}
		}
	}
	simd := "off (rebuild with GOEXPERIMENT=simd for the go backend's AVX2/AVX-512 kernels)"
	if backend.SIMD {
		simd = "on"
	}
	fmt.Printf("simd   %s\n", simd)
	choice := backend.Resolve(*explicit)
	fmt.Printf("backend %s (%s)\n", choice.Config, choice.Reason)
	return nil
}
