package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/ganlab/ganlab/blocks"
	"github.com/ganlab/ganlab/dcgan"
	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/internal/cli"
)

func init() {
	benches["dcgan-step"] = target{summary: "the TF DCGAN tutorial's train_step (one G forward, D on real and fake, both gradients and Adam updates)", run: benchDCGANStep}
}

// randomImages serves uniform [−1, 1] 28×28×1 batches (speed only, like the PyTorch anchor).
type randomImages struct {
	rng  *rand.Rand
	pool []*tensors.Tensor
	i    int
}

func (r *randomImages) Next(m int) (*tensors.Tensor, error) {
	if r.pool == nil {
		for range 8 {
			data := make([]float32, m*28*28)
			for j := range data {
				data[j] = 2*r.rng.Float32() - 1
			}
			r.pool = append(r.pool, tensors.FromFlatDataAndDimensions(data, m, 28, 28, 1))
		}
	}
	r.i++
	return r.pool[r.i%len(r.pool)], nil
}
func (r *randomImages) State() ([]byte, error) { return nil, nil }
func (r *randomImages) Restore([]byte) error   { return nil }
func (r *randomImages) ExampleShape() []int    { return []int{28, 28, 1} }

// peakRSSMB reads the process's peak resident set size (VmHWM) from /proc.
func peakRSSMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return -1
}

func benchDCGANStep(fs *flag.FlagSet, args []string) error {
	batch := fs.Int("batch", 64, "batch size")
	steps := fs.Int("steps", 10, "timed steps (after warm-up)")
	warmup := fs.Int("warmup", 3, "untimed steps first (compilation, first-run allocations)")
	plainMatmul := fs.Bool("plain-matmul", false, "use the plain patches·kernel product in convolutions (the slower arrangement, for comparison)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the timed steps to this file (go tool pprof)")
	newBackend := cli.BackendFlag(fs)
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *batch <= 0 || *steps <= 0 || *warmup < 0 {
		return cli.Usagef("need -batch > 0, -steps > 0, -warmup ≥ 0")
	}
	blocks.KernelFirstMatmul = !*plainMatmul
	b, err := newBackend()
	if err != nil {
		return err
	}
	cfg := gan.DefaultConfig()
	cfg.BatchSize, cfg.Simultaneous = *batch, true
	g, d := dcgan.TutorialModels()
	tr, err := gan.NewTrainer(b, cfg, g, d, &randomImages{rng: rand.New(rand.NewPCG(1, 2))})
	if err != nil {
		return err
	}
	for range *warmup {
		if _, err := tr.TrainStep(); err != nil {
			return err
		}
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	times := make([]time.Duration, *steps)
	for i := range times {
		start := time.Now()
		if _, err := tr.TrainStep(); err != nil {
			return err
		}
		times[i] = time.Since(start)
	}
	med := medianDuration(times)
	fmt.Printf("dcgan-step batch=%d median_ms=%.1f peak_rss_mb=%.0f\n", *batch, float64(med.Microseconds())/1000, peakRSSMB())
	return nil
}
