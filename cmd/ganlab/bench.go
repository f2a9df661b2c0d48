package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"
	"time"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/ganlab/ganlab/internal/cli"
)

func init() {
	benches["matmul"] = target{summary: "GFLOP/s of an n×n float32 matrix product (the ceiling for conv-as-matmul)", run: benchMatmul}
}

// medianDuration returns the median of ds.
func medianDuration(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
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
	b, err := newBackend()
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	data := make([]float32, *n**n)
	for i := range data {
		data[i] = float32(rng.NormFloat64())
	}
	x := tensors.FromFlatDataAndDimensions(data, *n, *n)
	exec, err := NewExec(b, func(a, c *Node) *Node { return MatMul(a, c) })
	if err != nil {
		return err
	}
	if _, err := exec.Exec(x, x); err != nil { // warm-up and compile
		return err
	}
	times := make([]time.Duration, *steps)
	for i := range times {
		start := time.Now()
		out, err := exec.Exec(x, x)
		if err != nil {
			return err
		}
		out[0].FinalizeAll()
		times[i] = time.Since(start)
	}
	med := medianDuration(times)
	gflops := 2 * float64(*n) * float64(*n) * float64(*n) / med.Seconds() / 1e9
	fmt.Printf("matmul n=%d median_ms=%.2f gflops=%.1f\n", *n, float64(med.Microseconds())/1000, gflops)
	return nil
}

func init() {
	benches["membw"] = target{summary: "memory bandwidth: GB/s copying a large buffer on all cores (the ceiling for copies, gathers, transposes)", run: benchMemBW}
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
	n := *mb << 20
	src, dst := make([]byte, n), make([]byte, n)
	for i := range src {
		src[i] = byte(i)
	}
	workers := runtime.GOMAXPROCS(0)
	copyAll := func() {
		var wg sync.WaitGroup
		chunk := (n + workers - 1) / workers
		for w := range workers {
			lo, hi := w*chunk, min((w+1)*chunk, n)
			wg.Go(func() { copy(dst[lo:hi], src[lo:hi]) })
		}
		wg.Wait()
	}
	copyAll()
	times := make([]time.Duration, *steps)
	for i := range times {
		start := time.Now()
		copyAll()
		times[i] = time.Since(start)
	}
	med := medianDuration(times)
	// A copy reads and writes every byte.
	fmt.Printf("membw mb=%d workers=%d median_ms=%.2f gb_per_s=%.1f (read+write)\n", *mb, workers, float64(med.Microseconds())/1000, 2*float64(n)/med.Seconds()/1e9)
	return nil
}
