package dcgan

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/gan"
)

// variable returns a Store variable's values by the end of its path.
func variable(t *testing.T, tr *gan.Model, suffix string) []float32 {
	t.Helper()
	for v := range tr.Store.IterVariables() {
		if strings.HasSuffix(v.Path(), suffix) && v.HasValue() {
			return tensors.MustCopyFlatData[float32](v.MustValue())
		}
	}
	t.Fatalf("no variable *%s", suffix)
	return nil
}

func sampleStd(t *testing.T, tr *gan.Model) float64 {
	t.Helper()
	if err := tr.Store.SetRNGStateFromSeed(3); err != nil {
		t.Fatal(err)
	}
	x, err := tr.Sample(500)
	if err != nil {
		t.Fatal(err)
	}
	var s, s2 float64
	flat := tensors.MustCopyFlatData[float32](x)
	for _, v := range flat {
		s += float64(v)
		s2 += float64(v) * float64(v)
	}
	n := float64(len(flat))
	return math.Sqrt(s2/n - (s/n)*(s/n))
}

// TestLoadAveragedGenerator: the averaged weights are the mean of the checkpoints' (exactly the
// checkpoint's own for one file twice), the newest file gives the step, the averaged steps are
// recorded, and the batch-norm recalibration repairs statistics that do not fit the weights.
func TestLoadAveragedGenerator(t *testing.T) {
	backend.Quiet()
	b := backend.MustNew("go")
	c := Paper64()
	c.ImageSize, c.BaseWidth = 16, 4 // 16×16×3, two upsamplings: fast, with batch norm
	g, d, err := c.Models()
	if err != nil {
		t.Fatal(err)
	}
	cfg := gan.DefaultConfig()
	cfg.BatchSize = 8
	tr, err := gan.NewTrainer(b, cfg, g, d, &randomRGB{rand.New(rand.NewPCG(5, 6)), 16})
	if err != nil {
		t.Fatal(err)
	}
	tr.Meta = c.Meta()
	dir := t.TempDir()
	var files []string
	for range 2 {
		for range 3 {
			if _, err := tr.TrainStep(); err != nil {
				t.Fatal(err)
			}
		}
		path, err := tr.Save(dir, ModelName, 5)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	const weight = "/generator/deconv1/weights"
	load := func(path string) *gan.Model {
		one, _, err := LoadGenerator(b, path)
		if err != nil {
			t.Fatal(err)
		}
		return one
	}
	a, bb := variable(t, load(files[0]), weight), variable(t, load(files[1]), weight)

	same, _, err := LoadAveragedGenerator(b, []string{files[0], files[0]}, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range variable(t, same, weight) {
		if v != a[i] {
			t.Fatalf("average of one checkpoint with itself: weight %d is %g, want %g", i, v, a[i])
		}
	}

	avg, _, err := LoadAveragedGenerator(b, []string{files[1], files[0]}, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	differs := false
	for i, v := range variable(t, avg, weight) {
		want := (float64(a[i]) + float64(bb[i])) / 2
		if math.Abs(float64(v)-want) > 1e-7 {
			t.Fatalf("weight %d: %g, want the mean %g", i, v, want)
		}
		differs = differs || a[i] != bb[i]
	}
	if !differs {
		t.Fatal("the two checkpoints have the same weights: the test checks nothing")
	}
	if avg.Step() != 6 || avg.Meta[gan.MetaAveragedSteps] != "6,3" {
		t.Fatalf("step %d, averaged steps %q; want 6 and \"6,3\"", avg.Step(), avg.Meta[gan.MetaAveragedSteps])
	}

	// The file's statistics do not fit the averaged weights (nor, after 6 steps at momentum 0.9,
	// even its own: half of the initial variance 1 is left), so recalibration changes the samples.
	// Statistics made wrong on purpose (σ ten times too large) are then repaired by a second
	// recalibration to what the first one gave.
	stale := sampleStd(t, avg)
	if err := avg.RecalibrateBatchNorm(100); err != nil {
		t.Fatal(err)
	}
	calibrated := sampleStd(t, avg)
	for v := range avg.Store.IterVariables() {
		if strings.HasSuffix(v.Path(), "moving_variance") {
			big := tensors.MustCopyFlatData[float32](v.MustValue())
			for i := range big {
				big[i] *= 100
			}
			if err := v.SetValue(tensors.FromFlatDataAndDimensions(big, len(big))); err != nil {
				t.Fatal(err)
			}
		}
	}
	broken := sampleStd(t, avg)
	if err := avg.RecalibrateBatchNorm(100); err != nil {
		t.Fatal(err)
	}
	repaired := sampleStd(t, avg)
	t.Logf("sample std: %.4f with the file's statistics, %.4f recalibrated, %.4f with σ×10, %.4f recalibrated again", stale, calibrated, broken, repaired)
	if math.Abs(stale-calibrated) < 0.5*calibrated || math.Abs(broken-calibrated) < 0.5*calibrated {
		t.Fatalf("the statistics hardly matter (std %g, %g, %g): the test checks nothing", stale, calibrated, broken)
	}
	if math.Abs(repaired-calibrated) > 0.05*calibrated {
		t.Fatalf("recalibrated std %g, want within 5%% of the first recalibration's %g", repaired, calibrated)
	}

	if _, _, err := LoadAveragedGenerator(b, []string{files[0], filepath.Join(dir, "missing.gob")}, 0, nil); err == nil || !strings.Contains(err.Error(), "missing.gob") {
		t.Fatalf("a missing file: error %v, want one naming it", err)
	}
}

// TestLoadGeneratorUsesTheMovingAverage: a checkpoint of a run trained with an EMA decay loads
// with the debiased moving average of G's weights in G's place (computed here from the weights
// after each step), and says so in its Meta.
func TestLoadGeneratorUsesTheMovingAverage(t *testing.T) {
	backend.Quiet()
	b := backend.MustNew("go")
	c := Paper64()
	c.ImageSize, c.BaseWidth = 16, 4
	g, d, err := c.Models()
	if err != nil {
		t.Fatal(err)
	}
	cfg := gan.DefaultConfig()
	cfg.BatchSize, cfg.EMADecay, cfg.Simultaneous = 8, 0.5, true
	tr, err := gan.NewTrainer(b, cfg, g, d, &randomRGB{rand.New(rand.NewPCG(5, 6)), 16})
	if err != nil {
		t.Fatal(err)
	}
	tr.Meta = c.Meta()
	const weight = "/generator/deconv1/weights"
	var avg []float64
	const steps = 3
	for range steps {
		if _, err := tr.TrainStep(); err != nil {
			t.Fatal(err)
		}
		w := variable(t, tr.Model, weight)
		if avg == nil {
			avg = make([]float64, len(w))
		}
		for i, v := range w {
			avg[i] = cfg.EMADecay*avg[i] + (1-cfg.EMADecay)*float64(v)
		}
	}
	last := variable(t, tr.Model, weight)
	path, err := tr.Save(t.TempDir(), ModelName, 1)
	if err != nil {
		t.Fatal(err)
	}
	loaded, _, err := LoadGenerator(b, path)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Meta[gan.MetaMovingAverage] == "" {
		t.Errorf("Meta[%s] is empty", gan.MetaMovingAverage)
	}
	differs := false
	for i, v := range variable(t, loaded, weight) {
		want := avg[i] / (1 - math.Pow(cfg.EMADecay, steps))
		if math.Abs(float64(v)-want) > 1e-6*(1+math.Abs(want)) {
			t.Fatalf("weight %d = %g, want the debiased moving average %g", i, v, want)
		}
		differs = differs || v != last[i]
	}
	if !differs {
		t.Error("the loaded weights equal the last step's: the moving average was not used")
	}

	lastStep, _, err := LoadGeneratorLastStep(b, path)
	if err != nil {
		t.Fatal(err)
	}
	if lastStep.Meta[gan.MetaMovingAverage] != "" {
		t.Errorf("LoadGeneratorLastStep: Meta[%s] = %q, want empty", gan.MetaMovingAverage, lastStep.Meta[gan.MetaMovingAverage])
	}
	for i, v := range variable(t, lastStep, weight) {
		if v != last[i] {
			t.Fatalf("LoadGeneratorLastStep: weight %d = %g, want the last step's %g", i, v, last[i])
		}
	}
}
