// Package bench measures what `ganlab bench` reports: matrix-product throughput, memory
// bandwidth and the median time of a training step, with the process's peak memory.
package bench

import (
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/ganlab/ganlab/dcgan"
	"github.com/ganlab/ganlab/gan"
)

// Median returns the median of ds.
func Median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// Time runs f warmup times untimed, then steps times, and returns the median duration. With a
// non-empty cpuProfile, the timed runs are profiled into that file.
func Time(warmup, steps int, cpuProfile string, f func() error) (time.Duration, error) {
	for range warmup {
		if err := f(); err != nil {
			return 0, err
		}
	}
	if cpuProfile != "" {
		fh, err := os.Create(cpuProfile)
		if err != nil {
			return 0, err
		}
		if err := pprof.StartCPUProfile(fh); err != nil {
			fh.Close()
			return 0, err
		}
		defer func() { pprof.StopCPUProfile(); fh.Close() }()
	}
	times := make([]time.Duration, steps)
	for i := range times {
		start := time.Now()
		if err := f(); err != nil {
			return 0, err
		}
		times[i] = time.Since(start)
	}
	return Median(times), nil
}

// Matmul times an n×n float32 matrix product on backend (median of steps, after one warm-up
// that compiles) and returns the median and its GFLOP/s.
func Matmul(backend compute.Backend, n, steps int) (time.Duration, float64, error) {
	rng := rand.New(rand.NewPCG(1, 2))
	data := make([]float32, n*n)
	for i := range data {
		data[i] = float32(rng.NormFloat64())
	}
	x := tensors.FromFlatDataAndDimensions(data, n, n)
	exec, err := NewExec(backend, func(a, c *Node) *Node { return MatMul(a, c) })
	if err != nil {
		return 0, 0, err
	}
	med, err := Time(1, steps, "", func() error {
		out, err := exec.Exec(x, x)
		if err == nil {
			out[0].FinalizeAll()
		}
		return err
	})
	return med, 2 * float64(n) * float64(n) * float64(n) / med.Seconds() / 1e9, err
}

// MemoryBandwidth copies a buffer of mb MiB on all cores (median of steps after one warm-up) and
// returns the median, the workers used and the GB/s read plus written.
func MemoryBandwidth(mb, steps int) (time.Duration, int, float64) {
	n := mb << 20
	src, dst := make([]byte, n), make([]byte, n)
	for i := range src {
		src[i] = byte(i)
	}
	workers := runtime.GOMAXPROCS(0)
	med, _ := Time(1, steps, "", func() error {
		var wg sync.WaitGroup
		chunk := (n + workers - 1) / workers
		for w := range workers {
			lo, hi := w*chunk, min((w+1)*chunk, n)
			wg.Go(func() { copy(dst[lo:hi], src[lo:hi]) })
		}
		wg.Wait()
		return nil
	})
	return med, workers, 2 * float64(n) / med.Seconds() / 1e9
}

// PeakRSSMB reads the process's peak resident set size (VmHWM) from /proc; −1 where there is
// none.
func PeakRSSMB() float64 {
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

// RandomImages serves uniform [−1, 1] batches of h×w×c images from a pool of 8 (a data source
// for timing steps, like the PyTorch anchor's random tensors).
type RandomImages struct {
	H, W, C int
	rng     *rand.Rand
	pool    []*tensors.Tensor
	i       int
}

// Next returns the next batch of m images.
func (r *RandomImages) Next(m int) (*tensors.Tensor, error) {
	if r.pool == nil {
		r.rng = rand.New(rand.NewPCG(1, 2))
		for range 8 {
			data := make([]float32, m*r.H*r.W*r.C)
			for j := range data {
				data[j] = 2*r.rng.Float32() - 1
			}
			r.pool = append(r.pool, tensors.FromFlatDataAndDimensions(data, m, r.H, r.W, r.C))
		}
	}
	r.i++
	return r.pool[r.i%len(r.pool)], nil
}

// State and Restore: random images have no position worth keeping.
func (r *RandomImages) State() ([]byte, error) { return nil, nil }
func (r *RandomImages) Restore([]byte) error   { return nil }

// DCGANStep times the TF DCGAN tutorial's train_step (gan.Config.Simultaneous) at batch on
// random 28×28×1 images: warmup untimed steps, then the median of steps (profiled into
// cpuProfile when set).
func DCGANStep(backend compute.Backend, batch, warmup, steps int, cpuProfile string) (time.Duration, error) {
	cfg := gan.DefaultConfig()
	cfg.BatchSize, cfg.Simultaneous = batch, true
	g, d := dcgan.TutorialModels()
	tr, err := gan.NewTrainer(backend, cfg, g, d, &RandomImages{H: 28, W: 28, C: 1})
	if err != nil {
		return 0, err
	}
	return Time(warmup, steps, cpuProfile, func() error { _, err := tr.TrainStep(); return err })
}
