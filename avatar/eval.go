package avatar

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/ganlab/ganlab/blocks"
	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/eval"
)

// Metrics of a model on held-out identities, one-shot: each identity is initialised from one
// source frame and rendered in other poses, compared with the true frames.
type Metrics struct {
	Kind       Kind    `json:"kind"`
	Identities int     `json:"identities"`
	Frames     int     `json:"frames"`
	PSNR       float64 `json:"psnr_db"` // mean over frames
	SSIM       float64 `json:"ssim"`
	// The split, bi-layer only (0 for the baseline). LowFrequencyPSNR compares x̂_LF alone with
	// the target blurred at Config.BlurSigma; TextureHFShare is the share of the warped
	// texture's energy above that cutoff, Σ(w − blur w)² / Σw².
	LowFrequencyPSNR float64 `json:"lf_psnr_db"`
	TextureHFShare   float64 `json:"tex_hf_share"`
	// LowFrequencyAlonePSNR compares x̂_LF alone with the true frame: PSNR minus it is what the
	// warped texture adds.
	LowFrequencyAlonePSNR float64 `json:"lf_alone_psnr_db"`
	// MouthPSNR is the PSNR inside the mouth's box (its landmarks ± MouthMargin) over the
	// MouthFrames target frames whose mouth opening is ≥ 0.5: does the expression follow?
	MouthPSNR   float64 `json:"mouth_psnr_db"`
	MouthFrames int     `json:"mouth_frames"`
	// CSIMSame and CSIMOther are cosine similarities of the identity network's features (an
	// independent judge trained on the training identities, not the avatar's own embedder):
	// output against the true frame, and output against the same pose of another held-out
	// person. Their difference says whether the avatar looks like its person rather than like
	// anyone.
	CSIMSame  float64 `json:"csim_same"`
	CSIMOther float64 `json:"csim_other"`
	// EnhancerSteps is how many texture-enhancer steps each avatar's Init ran (bi-layer; InitMs
	// includes them).
	EnhancerSteps int            `json:"enhancer_steps"`
	InitMs        float64        `json:"init_ms"`      // median, per avatar
	PerFrameMs    float64        `json:"per_frame_ms"` // median, batch 1
	Parameters    map[string]int `json:"parameters"`   // per module
}

// MouthMargin is the margin, in pixels at 64×64, around the mouth landmarks' box for MouthPSNR.
const MouthMargin = 3

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

// Evaluate measures m on the pairs; judge is the identity network (eval.Classifier trained on
// "heads-identity") whose features give CSIMSame and CSIMOther. Timings: the median of Init per
// identity and of batch-1 Render per frame. Each avatar is initialised with opts (nil:
// DefaultInitOptions).
func Evaluate(m *Model, judge *eval.Classifier, heads datasets.Heads, pairs []EvalPair, opts *InitOptions) (Metrics, error) {
	s := m.Config.Size
	if heads.Size != s {
		return Metrics{}, fmt.Errorf("avatar: data %d×%d, model %d×%d", heads.Size, heads.Size, s, s)
	}
	if s%datasets.IdentitySize != 0 || judge.H != datasets.IdentitySize || judge.C != 3 {
		return Metrics{}, fmt.Errorf("avatar: the identity judge takes %d×%d×%d images, want %d×%d×3 (ganlab train classifier -dataset heads-identity)",
			judge.H, judge.W, judge.C, datasets.IdentitySize, datasets.IdentitySize)
	}
	if opts == nil {
		opts = DefaultInitOptions()
	}
	res := Metrics{Kind: m.Config.Kind, Identities: len(pairs), Parameters: m.Parameters()}
	if m.Config.Kind == BiLayer {
		res.EnhancerSteps = opts.EnhancerSteps
	}
	var inits, frames []float64
	var mouthSE float64
	var mouthPixels int
	var judged []float32 // per frame: output, truth, another person's frame in the same pose
	for i, p := range pairs {
		if m.Progress != nil {
			m.Progress(i, len(pairs))
		}
		src, srcLmk, _ := heads.Frame(p.Identity, p.Source)
		av, err := m.Init(src, srcLmk, opts)
		if err != nil {
			return res, err
		}
		inits = append(inits, float64(av.InitTime.Microseconds())/1000)
		other := pairs[(i+1)%len(pairs)].Identity
		for _, pose := range p.Targets {
			truth, lmk, _ := heads.Frame(p.Identity, pose)
			start := time.Now()
			out, err := av.Render(lmk)
			if err != nil {
				return res, err
			}
			frames = append(frames, float64(time.Since(start).Microseconds())/1000)
			res.PSNR += PSNR(out[0], truth)
			res.SSIM += SSIM(out[0], truth, s)
			if m.Config.Kind == BiLayer {
				l, err := av.RenderLayers(lmk)
				if err != nil {
					return res, err
				}
				res.LowFrequencyPSNR += PSNR(l.LowFrequency, blocks.BlurImage(truth, s, 3, m.Config.BlurSigma()))
				res.TextureHFShare += highFrequencyShare(l.Warped, s, m.Config.BlurSigma())
				res.LowFrequencyAlonePSNR += PSNR(l.LowFrequency, truth)
			}
			if pose.Mouth >= 0.5 {
				se, n := boxSquaredError(out[0], truth, s, mouthBox(lmk, s))
				mouthSE, mouthPixels = mouthSE+se, mouthPixels+n
				res.MouthFrames++
			}
			otherFrame, _, _ := heads.Frame(other, pose)
			for _, img := range [][]float32{out[0], truth, otherFrame} {
				judged = append(judged, datasets.DownsampleRGB(img, s, s/datasets.IdentitySize)...)
			}
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
	res.PSNR, res.SSIM = res.PSNR/n, res.SSIM/n
	res.LowFrequencyPSNR, res.TextureHFShare = res.LowFrequencyPSNR/n, res.TextureHFShare/n
	res.LowFrequencyAlonePSNR /= n
	if mouthPixels > 0 {
		res.MouthPSNR = psnrOfMSE(mouthSE / float64(mouthPixels))
	}
	if err := judgeIdentity(judge, judged, &res); err != nil {
		return res, err
	}
	res.InitMs, res.PerFrameMs = median(inits), median(frames)
	return res, nil
}

// judgeIdentity fills CSIMSame and CSIMOther from the judge's features of the (output, truth,
// other person) triples in images, [0, 1] at IdentitySize².
func judgeIdentity(judge *eval.Classifier, images []float32, res *Metrics) error {
	x := make([]float32, len(images))
	for i, v := range images {
		x[i] = 2*v - 1
	}
	k := datasets.IdentitySize
	_, f, err := judge.Predict(tensors.FromFlatDataAndDimensions(x, len(x)/(k*k*3), k, k, 3))
	if err != nil {
		return fmt.Errorf("identity judge: %w", err)
	}
	for i := 0; i+2 < len(f); i += 3 {
		res.CSIMSame += cosine(f[i], f[i+1]) / float64(res.Frames)
		res.CSIMOther += cosine(f[i], f[i+2]) / float64(res.Frames)
	}
	return nil
}

// highFrequencyShare is Σ(w − blur w)² / Σw² of a high-frequency layer shown as (v+1)/2.
func highFrequencyShare(shown []float32, size int, sigma float64) float64 {
	w := make([]float32, len(shown))
	for i, v := range shown {
		w[i] = 2*v - 1
	}
	blurred := blocks.BlurImage(w, size, 3, sigma)
	var above, all float64
	for i, v := range w {
		d := float64(v - blurred[i])
		above += d * d
		all += float64(v) * float64(v)
	}
	if all == 0 {
		return 0
	}
	return above / all
}

// box is a pixel rectangle [X0, X1) × [Y0, Y1).
type box struct{ X0, Y0, X1, Y1 int }

// mouthBox is the box of the mouth landmarks with MouthMargin (scaled to size), clipped.
func mouthBox(lmk [][2]float64, size int) box {
	g := datasets.HeadLandmarkGroups[len(datasets.HeadLandmarkGroups)-1]
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range lmk[g[0]:g[1]] {
		minX, maxX = math.Min(minX, p[0]), math.Max(maxX, p[0])
		minY, maxY = math.Min(minY, p[1]), math.Max(maxY, p[1])
	}
	margin := float64(MouthMargin*size) / 64
	clip := func(v float64) int { return max(0, min(size, int(math.Round(v)))) }
	return box{clip(minX - margin), clip(minY - margin), clip(maxX + margin + 1), clip(maxY + margin + 1)}
}

// boxSquaredError sums the squared differences of two size×size×3 images inside b and returns
// the sum and the number of values.
func boxSquaredError(a, b []float32, size int, r box) (float64, int) {
	var se float64
	var n int
	for y := r.Y0; y < r.Y1; y++ {
		for x := r.X0; x < r.X1; x++ {
			for c := range 3 {
				d := float64(a[(y*size+x)*3+c] - b[(y*size+x)*3+c])
				se += d * d
				n++
			}
		}
	}
	return se, n
}

func cosine(a, b []float64) float64 {
	var ab, aa, bb float64
	for i := range a {
		ab += a[i] * b[i]
		aa += a[i] * a[i]
		bb += b[i] * b[i]
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
	return fmt.Sprintf("avatar init_ms=%.2f per_frame_ms=%.2f baseline_per_frame_ms=%.2f psnr=%.2f baseline_psnr=%.2f ssim=%.3f baseline_ssim=%.3f"+
		" lf_psnr=%.2f tex_hf_share=%.3f mouth_psnr=%.2f baseline_mouth_psnr=%.2f csim_same=%.3f csim_other=%.3f baseline_csim_same=%.3f baseline_csim_other=%.3f enhancer_steps=%d",
		bi.InitMs, bi.PerFrameMs, base.PerFrameMs, bi.PSNR, base.PSNR, bi.SSIM, base.SSIM,
		bi.LowFrequencyPSNR, bi.TextureHFShare, bi.MouthPSNR, base.MouthPSNR, bi.CSIMSame, bi.CSIMOther, base.CSIMSame, base.CSIMOther, bi.EnhancerSteps)
}

// WriteTable prints the metrics of models side by side.
func WriteTable(w io.Writer, ms ...Metrics) {
	row := func(label string, f func(m Metrics) string) {
		fmt.Fprintf(w, "%-34s", label)
		for _, m := range ms {
			fmt.Fprintf(w, " %14s", f(m))
		}
		fmt.Fprintln(w)
	}
	biOnly := func(format string, v func(m Metrics) float64) func(m Metrics) string {
		return func(m Metrics) string {
			if m.Kind != BiLayer {
				return "-"
			}
			return fmt.Sprintf(format, v(m))
		}
	}
	row("", func(m Metrics) string { return string(m.Kind) })
	row("held-out identities / frames", func(m Metrics) string { return fmt.Sprintf("%d / %d", m.Identities, m.Frames) })
	row("PSNR (dB)", func(m Metrics) string { return fmt.Sprintf("%.2f", m.PSNR) })
	row("SSIM", func(m Metrics) string { return fmt.Sprintf("%.3f", m.SSIM) })
	row("x̂_LF vs blurred target, PSNR (dB)", biOnly("%.2f", func(m Metrics) float64 { return m.LowFrequencyPSNR }))
	row("warped texture, energy above cutoff", biOnly("%.3f", func(m Metrics) float64 { return m.TextureHFShare }))
	row("x̂_LF alone vs the target, PSNR (dB)", biOnly("%.2f", func(m Metrics) float64 { return m.LowFrequencyAlonePSNR }))
	row("mouth box, opening ≥ 0.5, PSNR (dB)", func(m Metrics) string { return fmt.Sprintf("%.2f (%d)", m.MouthPSNR, m.MouthFrames) })
	row("CSIM same person (judge)", func(m Metrics) string { return fmt.Sprintf("%.3f", m.CSIMSame) })
	row("CSIM another person (judge)", func(m Metrics) string { return fmt.Sprintf("%.3f", m.CSIMOther) })
	row("texture enhancer steps at init", biOnly("%.0f", func(m Metrics) float64 { return float64(m.EnhancerSteps) }))
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
// of the default heads at bi's size, frames target poses each; the same judge for both), after
// one untimed warm-up pair each: graph compilation is not a per-frame cost. opts initialises the
// avatars (nil: DefaultInitOptions).
func Compare(bi, baseline *Model, judge *eval.Classifier, identities, frames int, opts *InitOptions) (biMetrics, baseMetrics Metrics, err error) {
	heads := datasets.DefaultHeads()
	heads.Size = bi.Config.Size
	pairs := HeldOutPairs(heads, frames, 1)
	if identities < 2 || identities > len(pairs) {
		return biMetrics, baseMetrics, fmt.Errorf("avatar: %d held-out identities, want 2…%d (CSIMOther needs another person)", identities, len(pairs))
	}
	pairs = pairs[:identities]
	for _, m := range []*Model{bi, baseline} {
		progress := m.Progress
		m.Progress = nil // the warm-up is not part of the measurement
		_, err := Evaluate(m, judge, heads, pairs[:2], opts)
		m.Progress = progress
		if err != nil {
			return biMetrics, baseMetrics, err
		}
	}
	if biMetrics, err = Evaluate(bi, judge, heads, pairs, opts); err != nil {
		return biMetrics, baseMetrics, err
	}
	baseMetrics, err = Evaluate(baseline, judge, heads, pairs, opts)
	return biMetrics, baseMetrics, err
}
