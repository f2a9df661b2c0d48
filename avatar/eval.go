package avatar

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/ganlab/ganlab/datasets"
)

// Metrics of a model on held-out identities, one-shot: each identity is initialised from one
// source frame and rendered in other poses, compared with the true frames.
type Metrics struct {
	Kind       Kind    `json:"kind"`
	Identities int     `json:"identities"`
	Frames     int     `json:"frames"`
	PSNR       float64 `json:"psnr_db"` // mean over frames
	SSIM       float64 `json:"ssim"`
	// CSIM is the cosine similarity of identity embeddings of output and ground truth, like the
	// paper's CSIM, but with the bi-layer model's own embedder standing in for a face-recognition
	// network (none can be downloaded here).
	CSIM       float64        `json:"csim"`
	InitMs     float64        `json:"init_ms"`      // median, per avatar
	PerFrameMs float64        `json:"per_frame_ms"` // median, batch 1
	Parameters map[string]int `json:"parameters"`   // per module
}

// Parameters counts the trainable parameters of each generator module.
func (m *Model) Parameters() map[string]int {
	out := map[string]int{}
	prefix := "/" + generatorScope + "/"
	for v := range m.Store.IterVariables() {
		p := v.Path()
		if !strings.HasPrefix(p, prefix) || !v.Trainable || !v.HasValue() {
			continue
		}
		module := strings.SplitN(strings.TrimPrefix(p, prefix), "/", 2)[0]
		out[module] += v.Shape().Size()
	}
	return out
}

// EvalPair is one held-out test: identity, source pose and target poses.
type EvalPair struct {
	Identity int
	Source   datasets.HeadPose
	Targets  []datasets.HeadPose
}

// HeldOutPairs draws, for each held-out identity of heads, a source pose and n target poses
// (seeded): the same test for every model.
func HeldOutPairs(heads datasets.Heads, n int, seed uint64) []EvalPair {
	rng := rand.New(rand.NewPCG(seed, 5))
	pairs := make([]EvalPair, heads.Test)
	for i := range pairs {
		p := EvalPair{Identity: heads.Train + i, Source: datasets.RandomHeadPose(rng)}
		for range n {
			p.Targets = append(p.Targets, datasets.RandomHeadPose(rng))
		}
		pairs[i] = p
	}
	return pairs
}

// Evaluate measures m on the pairs; identity (a bi-layer model, possibly m itself) supplies the
// embedder for CSIM. Timings: the median of Init per identity and of batch-1 Render per frame.
func Evaluate(m, identity *Model, heads datasets.Heads, pairs []EvalPair) (Metrics, error) {
	if heads.Size != m.Config.Size {
		return Metrics{}, fmt.Errorf("avatar: data %d×%d, model %d×%d", heads.Size, heads.Size, m.Config.Size, m.Config.Size)
	}
	res := Metrics{Kind: m.Config.Kind, Identities: len(pairs), Parameters: m.Parameters()}
	var inits, frames []float64
	var csimSum float64
	for i, p := range pairs {
		if m.Progress != nil {
			m.Progress(i, len(pairs))
		}
		src, srcLmk, _ := heads.Frame(p.Identity, p.Source)
		av, err := m.Init(src, srcLmk, nil)
		if err != nil {
			return res, err
		}
		inits = append(inits, float64(av.InitTime.Microseconds())/1000)
		for _, pose := range p.Targets {
			truth, lmk, _ := heads.Frame(p.Identity, pose)
			start := time.Now()
			out, err := av.Render(lmk)
			if err != nil {
				return res, err
			}
			frames = append(frames, float64(time.Since(start).Microseconds())/1000)
			res.PSNR += PSNR(out[0], truth)
			res.SSIM += SSIM(out[0], truth, heads.Size)
			a, err := identity.Embed(out[0], lmk)
			if err != nil {
				return res, err
			}
			b, err := identity.Embed(truth, lmk)
			if err != nil {
				return res, err
			}
			csimSum += cosine(a, b)
			res.Frames++
		}
	}
	if m.Progress != nil {
		m.Progress(len(pairs), len(pairs))
	}
	if res.Frames == 0 {
		return res, fmt.Errorf("avatar: no held-out frames to evaluate")
	}
	n := float64(res.Frames)
	res.PSNR, res.SSIM, res.CSIM = res.PSNR/n, res.SSIM/n, csimSum/n
	res.InitMs, res.PerFrameMs = median(inits), median(frames)
	return res, nil
}

func cosine(a, b []float32) float64 {
	var ab, aa, bb float64
	for i := range a {
		ab += float64(a[i]) * float64(b[i])
		aa += float64(a[i]) * float64(a[i])
		bb += float64(b[i]) * float64(b[i])
	}
	return ab / math.Sqrt(aa*bb+1e-12)
}

func median(x []float64) float64 {
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	return s[len(s)/2]
}

// BenchLine is the `ganlab bench avatar` summary line.
func BenchLine(bi, base Metrics) string {
	return fmt.Sprintf("avatar init_ms=%.2f per_frame_ms=%.2f baseline_per_frame_ms=%.2f psnr=%.2f baseline_psnr=%.2f ssim=%.3f baseline_ssim=%.3f",
		bi.InitMs, bi.PerFrameMs, base.PerFrameMs, bi.PSNR, base.PSNR, bi.SSIM, base.SSIM)
}

// WriteTable prints the metrics of models side by side.
func WriteTable(w io.Writer, ms ...Metrics) {
	row := func(label string, f func(m Metrics) string) {
		fmt.Fprintf(w, "%-30s", label)
		for _, m := range ms {
			fmt.Fprintf(w, " %14s", f(m))
		}
		fmt.Fprintln(w)
	}
	row("", func(m Metrics) string { return string(m.Kind) })
	row("held-out identities / frames", func(m Metrics) string { return fmt.Sprintf("%d / %d", m.Identities, m.Frames) })
	row("PSNR (dB)", func(m Metrics) string { return fmt.Sprintf("%.2f", m.PSNR) })
	row("SSIM", func(m Metrics) string { return fmt.Sprintf("%.3f", m.SSIM) })
	row("CSIM (our embedder)", func(m Metrics) string { return fmt.Sprintf("%.3f", m.CSIM) })
	row("init per avatar (ms)", func(m Metrics) string { return fmt.Sprintf("%.2f", m.InitMs) })
	row("per frame, batch 1 (ms)", func(m Metrics) string { return fmt.Sprintf("%.2f", m.PerFrameMs) })
	for _, module := range []string{embedderScope, textureScope, adainScope, inferenceScope} {
		row("parameters: "+module, func(m Metrics) string {
			if n, ok := m.Parameters[module]; ok {
				return fmt.Sprint(n)
			}
			return "-"
		})
	}
}

// Compare evaluates the bi-layer model bi and the baseline on the same held-out pairs (identities
// of the default heads at bi's size, frames target poses each; CSIM from bi's embedder for both),
// after one untimed warm-up pair each: graph compilation is not a per-frame cost.
func Compare(bi, baseline *Model, identities, frames int) (biMetrics, baseMetrics Metrics, err error) {
	heads := datasets.DefaultHeads()
	heads.Size = bi.Config.Size
	pairs := HeldOutPairs(heads, frames, 1)
	if identities < 1 || identities > len(pairs) {
		return biMetrics, baseMetrics, fmt.Errorf("avatar: %d held-out identities, want 1…%d", identities, len(pairs))
	}
	pairs = pairs[:identities]
	for _, m := range []*Model{bi, baseline} {
		progress := m.Progress
		m.Progress = nil // the warm-up is not part of the measurement
		_, err := Evaluate(m, bi, heads, pairs[:1])
		m.Progress = progress
		if err != nil {
			return biMetrics, baseMetrics, err
		}
	}
	if biMetrics, err = Evaluate(bi, bi, heads, pairs); err != nil {
		return biMetrics, baseMetrics, err
	}
	baseMetrics, err = Evaluate(baseline, bi, heads, pairs)
	return biMetrics, baseMetrics, err
}
