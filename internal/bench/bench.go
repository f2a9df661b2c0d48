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
// that compiles): "matmul n= median_ms= gflops=".
func Matmul(backend compute.Backend, n, steps int) (Result, error) {
	rng := rand.New(rand.NewPCG(1, 2))
	data := make([]float32, n*n)
	for i := range data {
		data[i] = float32(rng.NormFloat64())
	}
	x := tensors.FromFlatDataAndDimensions(data, n, n)
	exec, err := NewExec(backend, func(a, c *Node) *Node { return MatMul(a, c) })
	if err != nil {
		return Result{}, err
	}
	med, err := Time(1, steps, "", func() error {
		out, err := exec.Exec(x, x)
		if err == nil {
			out[0].FinalizeAll()
		}
		return err
	})
	gflops := 2 * float64(n) * float64(n) * float64(n) / med.Seconds() / 1e9
	return Result{Name: "matmul"}.Add("n", n, "%d").Add("median_ms", ms(med), "%.2f").Add("gflops", gflops, "%.1f"), err
}

// MemoryBandwidth copies a buffer of mb MiB on all cores (median of steps after one warm-up):
// "membw mb= workers= median_ms= gb_per_s=", the GB/s read plus written.
func MemoryBandwidth(mb, steps int) Result {
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
	return Result{Name: "membw"}.Add("mb", mb, "%d").Add("workers", workers, "%d").Add("median_ms", ms(med), "%.2f").
		Add("gb_per_s", 2*float64(n)/med.Seconds()/1e9, "%.1f")
}

// ms is d in milliseconds.
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

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

// DCGANStep times the simultaneous training step (gan.Config.Simultaneous: the TF DCGAN
// tutorial's train_step: one G forward, D on real and fake, both gradients from that forward, both
// Adam updates) of model c at batch on random images of c's shape: warmup untimed steps, then the
// median of steps (profiled into cpuProfile when set). The result is "dcgan-step preset= size=
// width= batch= median_ms= peak_rss_mb=".
func DCGANStep(backend compute.Backend, c dcgan.Config, batch, warmup, steps int, cpuProfile string) (Result, error) {
	g, d, err := c.Models()
	if err != nil {
		return Result{}, err
	}
	cfg := gan.DefaultConfig()
	cfg.BatchSize, cfg.Simultaneous, cfg.LatentDim = batch, true, c.LatentDim
	tr, err := gan.NewTrainer(backend, cfg, g, d, &RandomImages{H: c.ImageSize, W: c.ImageSize, C: c.Channels})
	if err != nil {
		return Result{}, err
	}
	med, err := Time(warmup, steps, cpuProfile, func() error { _, err := tr.TrainStep(); return err })
	return Result{Name: "dcgan-step"}.Add("preset", c.Preset, "%s").Add("size", c.ImageSize, "%d").Add("width", c.BaseWidth, "%d").
		Add("batch", batch, "%d").Add("median_ms", ms(med), "%.1f").Add("peak_rss_mb", PeakRSSMB(), "%.0f"), err
}
