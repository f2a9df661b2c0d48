package main

import (
	"flag"

	"github.com/ganlab/ganlab/dcgan"
	"github.com/ganlab/ganlab/internal/bench"
	"github.com/ganlab/ganlab/internal/cli"
)

func init() {
	benches["matmul"] = cli.Target{Summary: "GFLOP/s of an n×n float32 matrix product (the ceiling for conv-as-matmul)", Run: benchMatmul}
	benches["membw"] = cli.Target{Summary: "memory bandwidth: GB/s copying a large buffer on all cores (the ceiling for copies, gathers, transposes)", Run: benchMemBW}
	benches["dcgan-step"] = cli.Target{Summary: "a DCGAN's simultaneous train_step (the TF tutorial's: one G forward, D on real and fake, both gradients and Adam updates)", Run: benchDCGANStep}
}

func benchMatmul(fs *flag.FlagSet, args []string) error {
	n := fs.Int("n", 1024, "matrix size")
	steps := fs.Int("steps", 10, "timed repetitions (after one warm-up)")
	jsonOut := fs.String("json", "", "also write the result as JSON to this file (- for standard output)")
	newBackend := cli.BackendFlag(fs)
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *n <= 0 || *steps <= 0 {
		return cli.Usagef("-n and -steps must be > 0")
	} else if err := cli.CheckMemory("-n", 4*4*float64(*n)*float64(*n)); err != nil { // three n×n float32 matrices and the product's workspace
		return err
	}
	b, err := newBackend()
	if err != nil {
		return err
	}
	r, err := bench.Matmul(b, *n, *steps)
	if err != nil {
		return err
	}
	return r.Write(*jsonOut)
}

func benchMemBW(fs *flag.FlagSet, args []string) error {
	mb := fs.Int("mb", 256, "buffer size in MiB (use well above the last-level cache)")
	steps := fs.Int("steps", 10, "timed repetitions")
	jsonOut := fs.String("json", "", "also write the result as JSON to this file (- for standard output)")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *mb <= 0 || *steps <= 0 {
		return cli.Usagef("-mb and -steps must be > 0")
	} else if err := cli.CheckMemory("-mb", 2*float64(*mb)*(1<<20)); err != nil { // source and destination
		return err
	}
	return bench.MemoryBandwidth(*mb, *steps).Write(*jsonOut)
}

func benchDCGANStep(fs *flag.FlagSet, args []string) error {
	preset := fs.String("preset", "mnist", "model: mnist (the TF tutorial's 28×28) or paper64 (the paper's 64×64×3)")
	width := fs.Int("width", 0, "paper64's base width: 64 as pytorch/examples (4×4×512 after the projection), 128 as the paper's Fig. 2 (0: the preset's)")
	batch := fs.Int("batch", 64, "batch size")
	steps := fs.Int("steps", 10, "timed steps (after warm-up)")
	warmup := fs.Int("warmup", 3, "untimed steps first (compilation, first-run allocations)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the timed steps to this file (go tool pprof)")
	jsonOut := fs.String("json", "", "also write the result as JSON to this file (- for standard output)")
	newBackend := cli.BackendFlag(fs)
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	c, err := dcgan.Preset(*preset)
	if err == nil {
		c, err = c.Resized(0, *width, "") // width 0 keeps the preset's
	}
	if err != nil {
		return cli.Usagef("%v", err)
	} else if *batch <= 0 || *steps <= 0 || *warmup < 0 {
		return cli.Usagef("need -batch > 0, -steps > 0, -warmup ≥ 0")
	}
	b, err := newBackend()
	if err != nil {
		return err
	}
	r, err := bench.DCGANStep(b, c, *batch, *warmup, *steps, *cpuProfile)
	if err != nil {
		return err
	}
	return r.Write(*jsonOut)
}
