package avatar

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/datasets"
)

func smallHeads() datasets.Heads {
	h := datasets.DefaultHeads()
	h.Size, h.Train, h.Test = 32, 20, 3
	return h
}

func smallModel(t *testing.T, kind Kind) *Model {
	t.Helper()
	c := DefaultConfig(kind)
	c.Size, c.BatchSize = 32, 4
	m, err := New(backend.MustNew("go"), c)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := m.TrainStep(smallHeads()); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func l1(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += math.Abs(float64(a[i] - b[i]))
	}
	return s / float64(len(a))
}

// TestInitRenderSaveLoad: the one-time / per-frame API on both kinds, batching, the layers of
// the bi-layer decomposition, the enhancer, and a saved generator rendering identically.
func TestInitRenderSaveLoad(t *testing.T) {
	heads := smallHeads()
	for _, kind := range []Kind{BiLayer, Baseline} {
		m := smallModel(t, kind)
		src, srcLmk, _ := heads.Frame(heads.Train, datasets.HeadPose{})
		av, err := m.Init(src, srcLmk, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(av.Embedding) != m.Config.EmbedDim {
			t.Fatalf("%s: embedding of %d numbers", kind, len(av.Embedding))
		}
		e, err := m.Embed(src, srcLmk)
		if err != nil {
			t.Fatal(err)
		}
		if d := l1(e, av.Embedding); d > 1e-6 {
			t.Errorf("%s: Embed differs from Init's embedding by %g", kind, d)
		}
		var poses [][][2]float64
		for _, yaw := range []float64{-0.5, 0, 0.7} {
			_, l, _ := heads.Frame(heads.Train, datasets.HeadPose{Yaw: yaw})
			poses = append(poses, l)
		}
		batch, err := av.Render(poses...)
		if err != nil {
			t.Fatal(err)
		}
		if len(batch) != 3 || len(batch[0]) != 32*32*3 {
			t.Fatalf("%s: %d images of %d values", kind, len(batch), len(batch[0]))
		}
		one, err := av.Render(poses[2])
		if err != nil {
			t.Fatal(err)
		}
		if d := l1(one[0], batch[2]); d > 1e-5 {
			t.Errorf("%s: a frame rendered alone differs from the same frame in a batch by %g", kind, d)
		}
		path := filepath.Join(t.TempDir(), "m.gob")
		if err := m.Save(path, false); err != nil {
			t.Fatal(err)
		}
		loaded, err := Load(backend.MustNew("go"), path)
		if err != nil {
			t.Fatal(err)
		}
		av2, err := loaded.Init(src, srcLmk, nil)
		if err != nil {
			t.Fatal(err)
		}
		again, err := av2.Render(poses[2])
		if err != nil {
			t.Fatal(err)
		}
		if d := l1(again[0], one[0]); d != 0 {
			t.Errorf("%s: the loaded model renders differently (L1 %g)", kind, d)
		}
		if kind == Baseline {
			if _, err := av.RenderLayers(poses[0]); err == nil {
				t.Error("baseline: RenderLayers should be refused")
			}
			continue
		}
		layers, err := av.RenderLayers(poses[2])
		if err != nil {
			t.Fatal(err)
		}
		if d := l1(layers.Output, one[0]); d > 1e-5 {
			t.Errorf("layers' output differs from Render by %g", d)
		}
		// The enhancer descends the source-frame L1: the avatar redrawn in the source pose must
		// get closer to the source image.
		before, _ := av.Render(srcLmk)
		enhanced, err := m.Init(src, srcLmk, &InitOptions{EnhancerSteps: 5})
		if err != nil {
			t.Fatal(err)
		}
		after, _ := enhanced.Render(srcLmk)
		if !(l1(after[0], src) < l1(before[0], src)) {
			t.Errorf("enhancer: source L1 %g before, %g after", l1(before[0], src), l1(after[0], src))
		}
	}
}

// TestBadInputs: wrong image size, wrong landmark count, non-finite values, wrong files and
// configurations are errors that name the problem.
func TestBadInputs(t *testing.T) {
	c := DefaultConfig(BiLayer)
	c.Size = 32
	m, err := New(backend.MustNew("go"), c)
	if err != nil {
		t.Fatal(err)
	}
	heads := smallHeads()
	src, lmk, _ := heads.Frame(0, datasets.HeadPose{})
	if _, err := m.Init(src[:100], lmk, nil); err == nil || !strings.Contains(err.Error(), "want 32×32×3") {
		t.Errorf("short image: %v", err)
	}
	if _, err := m.Init(src, lmk[:5], nil); err == nil || !strings.Contains(err.Error(), "5 landmarks") {
		t.Errorf("too few landmarks: %v", err)
	}
	bad := append([]float32(nil), src...)
	bad[7] = float32(math.NaN())
	if _, err := m.Init(bad, lmk, nil); err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("NaN pixel: %v", err)
	}
	badLmk := append([][2]float64(nil), lmk...)
	badLmk[3][0] = math.Inf(1)
	if _, err := m.Init(src, badLmk, nil); err == nil || !strings.Contains(err.Error(), "not finite") {
		t.Errorf("Inf landmark: %v", err)
	}
	other := datasets.DefaultHeads() // 64×64 data for a 32×32 model
	if _, err := m.TrainStep(other); err == nil || !strings.Contains(err.Error(), "64×64") {
		t.Errorf("data of another size: %v", err)
	}
	notModel := filepath.Join(t.TempDir(), "x.gob")
	if err := os.WriteFile(notModel, []byte("not a gob"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(backend.MustNew("go"), notModel); err == nil {
		t.Error("loading garbage succeeded")
	}
	if _, err := Load(backend.MustNew("go"), filepath.Join(t.TempDir(), "missing.gob")); err == nil {
		t.Error("loading a missing file succeeded")
	}
	for _, edit := range []func(c *Config){
		func(c *Config) { c.Kind = "trilayer" },
		func(c *Config) { c.Size = 40 },
		func(c *Config) { c.BatchSize = 0 },
		func(c *Config) { c.LearningRate = -1 },
		func(c *Config) { c.Width = 0 },
	} {
		cc := DefaultConfig(BiLayer)
		edit(&cc)
		if _, err := New(backend.MustNew("go"), cc); err == nil {
			t.Errorf("invalid config %+v accepted", cc)
		}
	}
}

func TestRasterizeAndMetrics(t *testing.T) {
	heads := smallHeads()
	_, lmk, _ := heads.Frame(1, datasets.HeadPose{Mouth: 1})
	r, err := Rasterize(lmk, 32)
	if err != nil {
		t.Fatal(err)
	}
	// The nose (group 2) peaks at the nose landmark's pixel.
	nose := lmk[17]
	x, y := int(nose[0]), int(nose[1])
	if v := r[(y*32+x)*LandmarkChannels+2]; v < 0.36 { // ≥ e^−1: the pixel centre is within √2·½ px, σ = ½ px
		t.Errorf("nose channel at the nose landmark is %g", v)
	}
	if v := r[(0*32+0)*LandmarkChannels+2]; v != 0 {
		t.Errorf("nose channel far from the nose is %g", v)
	}
	a, _, _ := heads.Frame(1, datasets.HeadPose{})
	if p := PSNR(a, a); !math.IsInf(p, 1) {
		t.Errorf("PSNR of identical images: %g", p)
	}
	if s := SSIM(a, a, 32); math.Abs(s-1) > 1e-9 {
		t.Errorf("SSIM of identical images: %g", s)
	}
	b, _, _ := heads.Frame(1, datasets.HeadPose{Yaw: 0.8})
	c, _, _ := heads.Frame(2, datasets.HeadPose{Yaw: -0.8, Mouth: 1})
	if !(PSNR(a, b) > PSNR(a, c)) || !(SSIM(a, b, 32) > SSIM(a, c, 32)) {
		t.Errorf("another pose of the same person should be closer than another person: PSNR %g vs %g, SSIM %g vs %g",
			PSNR(a, b), PSNR(a, c), SSIM(a, b, 32), SSIM(a, c, 32))
	}
}

// TestSize128: the 128×128 configuration builds, initialises and renders (untrained).
func TestSize128(t *testing.T) {
	c := DefaultConfig(BiLayer)
	c.Size = 128
	m, err := New(backend.MustNew("go"), c)
	if err != nil {
		t.Fatal(err)
	}
	heads := datasets.DefaultHeads()
	heads.Size = 128
	src, lmk, _ := heads.Frame(heads.Train, datasets.HeadPose{})
	av, err := m.Init(src, lmk, nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := av.Render(lmk)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || len(out[0]) != 128*128*3 {
		t.Fatalf("128×128 render: %d values", len(out[0]))
	}
}
