from ipynb import QUICK, SETUP

CELLS = [
("markdown", r'''
# 06 · The bi-layer avatar: compute once per person, little per frame

Zakharov et al. (2020) split a one-shot talking-head avatar in two. **Once per avatar**, from a single source frame and
its landmarks: an identity embedding $e = E(x_s, l_s)$, the AdaIN parameters of the per-frame generator, and a
high-frequency **texture** $T$ (optionally refined by the *texture enhancer*, a few gradient steps on $T$ against the
source frame). **Per frame**, only a small inference generator runs on the rasterised target landmarks:

$$(\hat x_\text{LF}, \omega, m) = G_\text{inf}(l_t; e), \qquad \hat x_t = \hat x_\text{LF} + m \odot \operatorname{warp}(T, \omega)$$

a low-frequency image, a warp field that moves the texture into the target pose, and a mask of where it applies.
The per-frame network can be tiny because the detail comes from the warped texture. The **baseline** renders the whole
image from $l_t$ and $e$ every frame, so it needs a much wider network for similar quality.

VoxCeleb cannot be downloaded here; the data are **procedural talking heads** (`datasets.Heads`): identities differ in
face shape, colours and high-frequency detail (freckles, face paint, hair texture, glasses), poses in yaw, pitch, roll,
mouth and blinks. Models: the shipped `pretrained/avatar-bilayer.gob` and `avatar-baseline.gob` (commands in
`pretrained/README.md`). No pretrained perceptual network can be downloaded either, so the losses are pixel L1,
adversarial and feature matching.

`GANLAB_QUICK=1` shortens the measurements; the committed outputs come from a full run.
'''),
("code", SETUP),
("code", r'''
import (
	"bytes"
	"fmt"
	"image"
	"os"
	"strings"
	"time"

	"github.com/janpfeifer/must"

	"github.com/ganlab/ganlab/avatar"
	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/plotting"
	"github.com/ganlab/ganlab/pretrained"
)
''' + QUICK + r'''
// load reads a shipped avatar model: "bilayer" or "baseline".
func load(kind string) *avatar.Model {
	return must.M1(avatar.Load(backend.MustNew(""), must.M1(pretrained.Path("avatar-"+kind+".gob"))))
}

// strip tiles RGB images in [0, 1] (size×size×3) into one row, zoomed 3×.
func strip(size int, images ...[]float32) image.Image {
	var flat []float32
	for _, img := range images {
		for _, v := range img {
			flat = append(flat, 2*v-1)
		}
	}
	return must.M1(plotting.ImageGrid(must.M1(plotting.FloatImages(flat, len(images), size, size, 3)), len(images), 2, 3))
}

var heads = datasets.DefaultHeads()
'''),
("markdown", r'''
## 1 · The data

Eight identities (rows; the last four are held out from training) in six poses; the last column shows the 22 landmarks
as the generators see them, rasterised into four channels (contour, eyes, nose, mouth) and summed.
'''),
("code", r'''
%%
var images [][]float32
rng := datasets.TalkingSequence(60, 3)
for row, id := range []int{0, 1, 2, 3, heads.Train, heads.Train + 1, heads.Train + 2, heads.Train + 3} {
	var frames [][]float32
	for k := 0; k < 5; k++ {
		rgb, _, _ := heads.Frame(id, rng[12*k+row])
		frames = append(frames, rgb)
	}
	_, lmk, _ := heads.Frame(id, rng[row])
	r := must.M1(avatar.Rasterize(lmk, heads.Size))
	vis := make([]float32, heads.Size*heads.Size*3)
	for i := 0; i < heads.Size*heads.Size; i++ {
		var s float32
		for c := 0; c < avatar.LandmarkChannels; c++ {
			s += r[i*avatar.LandmarkChannels+c]
		}
		vis[3*i], vis[3*i+1], vis[3*i+2] = min(s, 1), min(s, 1), min(s, 1)
	}
	images = append(images, append(frames, vis)...)
}
var flat []float32
for _, img := range images {
	for _, v := range img {
		flat = append(flat, 2*v-1)
	}
}
plotting.Show(must.M1(plotting.ImageGrid(must.M1(plotting.FloatImages(flat, len(images), 64, 64, 3)), 6, 2, 2)))
''', ["figure"]),
("markdown", r'''
## 2 · The layers (Zakharov et al. 2020, Fig. 2)

A held-out identity, initialised from one source frame, rendered in a new pose. Left to right: source frame, true
target frame, low-frequency layer $\hat x_\text{LF}$, texture $T$, warped texture, mask $m$, the bi-layer output, and
the baseline's output for the same target.
'''),
("code", r'''
%%
bi, base := load("bilayer"), load("baseline")
for _, id := range []int{heads.Train + 4, heads.Train + 9, heads.Train + 17} {
	src, srcLmk, _ := heads.Frame(id, datasets.HeadPose{Yaw: -0.2})
	truth, lmk, _ := heads.Frame(id, datasets.HeadPose{Yaw: 0.7, Pitch: -0.4, Mouth: 0.8, Roll: 0.1})
	l := must.M1(must.M1(bi.Init(src, srcLmk, nil)).RenderLayers(lmk))
	b := must.M1(must.M1(base.Init(src, srcLmk, nil)).Render(lmk))[0]
	plotting.Show(strip(64, src, truth, l.LowFrequency, l.Texture, l.Warped, l.Mask, l.Output, b))
}
fmt.Println("source · truth · low-frequency · texture · warped texture · mask · bi-layer · baseline")
''', ["figure", "thumbnail"]),
("markdown", r'''
## 3 · An animation driven by a talking sequence

A held-out identity initialised once from its source frame (the first panel, the same in every frame), then driven by
48 frames of a procedural talking sequence (6 in quick mode): source, truth, bi-layer, baseline. `ganlab avatar -source heads:460 -o avatar.gif` writes the bi-layer animation from the command line.
'''),
("code", r'''
%%
bi, base := load("bilayer"), load("baseline")
id := heads.Train + 7
src, srcLmk, _ := heads.Frame(id, datasets.HeadPose{})
poses := datasets.TalkingSequence(quick(48, 6), 5)
var lmks [][][2]float64
var truths [][]float32
for _, p := range poses {
	rgb, l, _ := heads.Frame(id, p)
	lmks, truths = append(lmks, l), append(truths, rgb)
}
outBi := must.M1(must.M1(bi.Init(src, srcLmk, nil)).Render(lmks...))
outBase := must.M1(must.M1(base.Init(src, srcLmk, nil)).Render(lmks...))
var frames []image.Image
for i := range poses {
	frames = append(frames, strip(64, src, truths[i], outBi[i], outBase[i]))
}
var buf bytes.Buffer
must.M(plotting.GIF(&buf, frames, 8))
fmt.Println("source · truth · bi-layer · baseline")
plotting.ShowGIF(buf.Bytes())
''', ["figure"]),
("markdown", r'''
## 4 · Speed and quality against the baseline

Every held-out identity initialised from one source frame and rendered in 8 other poses. PSNR and SSIM against the
true frames; CSIM is the cosine similarity of identity embeddings of output and truth (the bi-layer embedder stands in
for the paper's face-recognition network). Latencies: medians, batch 1, on this machine's backend (timings include
rasterising the landmarks). Acceptance: per-frame ≥ 3× faster than the baseline, PSNR at most 1 dB below it, and a
64×64 frame in ≤ 10 ms. `ganlab bench avatar` prints the same table.
'''),
("code", r'''
%%
bi, base := load("bilayer"), load("baseline")
pairs := avatar.HeldOutPairs(heads, quick(8, 2), 1)[:quick(50, 5)]
must.M1(avatar.Evaluate(bi, bi, heads, pairs[:1])) // compile the graphs first: not per-frame cost
must.M1(avatar.Evaluate(base, bi, heads, pairs[:1]))
start := time.Now()
mb := must.M1(avatar.Evaluate(bi, bi, heads, pairs))
mbase := must.M1(avatar.Evaluate(base, bi, heads, pairs))
var table strings.Builder
avatar.WriteTable(&table, mb, mbase)
fmt.Print(table.String())
fmt.Printf("\nspeed-up per frame: %.2f× (want ≥ 3); PSNR difference: %+.2f dB (want ≥ −1); 64×64 per frame %.2f ms (want ≤ 10)\n",
	mbase.PerFrameMs/mb.PerFrameMs, mb.PSNR-mbase.PSNR, mb.PerFrameMs)
fmt.Println(avatar.BenchLine(mb, mbase))
fmt.Printf("(measured in %.0f s)\n", time.Since(start).Seconds())
''', ["table"]),
("markdown", r'''
## 5 · How they trained

Both models saw the same number of steps and batches (pairs of frames of the 400 training identities). The curves are
the pixel L1 loss of each step, stored in the model files.
'''),
("code", r'''
%%
var series []plotting.Series
for _, kind := range []string{"bilayer", "baseline"} {
	m := load(kind)
	var xs, ys []float64
	seconds := 0.0
	for _, r := range m.History {
		xs, ys = append(xs, float64(r.Step)), append(ys, r.L1)
		seconds += r.Seconds
	}
	fmt.Printf("%s: %d steps of batch %d, %.0f min of training on 2 cores; parameters %v\n", kind, m.Step(), m.Config.BatchSize, seconds/60, m.Parameters())
	series = append(series, plotting.Series{Name: kind, X: xs, Y: ys})
}
p := plotting.Curves("pixel L1 during training (images in [−1, 1])", "step", "L1", 25, series...)
plotting.ShowPlots(p)
''', ["figure"]),
]
