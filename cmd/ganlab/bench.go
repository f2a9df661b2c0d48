package main

import (
	"flag"
	"fmt"

	"github.com/ganlab/ganlab/internal/bench"
	"github.com/ganlab/ganlab/internal/cli"
)

func init() {
	benches["matmul"] = cli.Target{Summary: "GFLOP/s of an n×n float32 matrix product (the ceiling for conv-as-matmul)", Run: benchMatmul}
	benches["membw"] = cli.Target{Summary: "memory bandwidth: GB/s copying a large buffer on all cores (the ceiling for copies, gathers, transposes)", Run: benchMemBW}
	benches["dcgan-step"] = cli.Target{Summary: "the TF DCGAN tutorial's train_step (one G forward, D on real and fake, both gradients and Adam updates)", Run: benchDCGANStep}
}

func benchMatmul(fs *flag.FlagSet, args []string) error {
	n := fs.Int("n", 1024, "matrix size")
	steps := fs.Int("steps", 10, "timed repetitions (after one warm-up)")
	newBackend := cli.BackendFlag(fs)
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *n <= 0 || *steps <= 0 {
		return cli.Usagef("-n and -steps must be > 0")
	}
	if err := cli.CheckMemory("-n", 4*4*float64(*n)*float64(*n)); err != nil { // three n×n float32 matrices and the product's workspace
		return err
	}
	b, err := newBackend()
	if err != nil {
		return err
	}
	med, gflops, err := bench.Matmul(b, *n, *steps)
	if err != nil {
		return err
	}
	fmt.Printf("matmul n=%d median_ms=%.2f gflops=%.1f\n", *n, float64(med.Microseconds())/1000, gflops)
	return nil
}

func benchMemBW(fs *flag.FlagSet, args []string) error {
	mb := fs.Int("mb", 256, "buffer size in MiB (use well above the last-level cache)")
	steps := fs.Int("steps", 10, "timed repetitions")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *mb <= 0 || *steps <= 0 {
		return cli.Usagef("-mb and -steps must be > 0")
	}
	if err := cli.CheckMemory("-mb", 2*float64(*mb)*(1<<20)); err != nil { // source and destination
		return err
	}
	med, workers, gbs := bench.MemoryBandwidth(*mb, *steps)
	fmt.Printf("membw mb=%d workers=%d median_ms=%.2f gb_per_s=%.1f (read+write)\n", *mb, workers, float64(med.Microseconds())/1000, gbs)
	return nil
}

func benchDCGANStep(fs *flag.FlagSet, args []string) error {
	batch := fs.Int("batch", 64, "batch size")
	steps := fs.Int("steps", 10, "timed steps (after warm-up)")
	warmup := fs.Int("warmup", 3, "untimed steps first (compilation, first-run allocations)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the timed steps to this file (go tool pprof)")
	newBackend := cli.BackendFlag(fs)
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *batch <= 0 || *steps <= 0 || *warmup < 0 {
		return cli.Usagef("need -batch > 0, -steps > 0, -warmup ≥ 0")
	}
	b, err := newBackend()
	if err != nil {
		return err
	}
	med, err := bench.DCGANStep(b, *batch, *warmup, *steps, *cpuProfile)
	if err != nil {
		return err
	}
	fmt.Printf("dcgan-step batch=%d median_ms=%.1f peak_rss_mb=%.0f\n", *batch, float64(med.Microseconds())/1000, bench.PeakRSSMB())
	return nil
}
