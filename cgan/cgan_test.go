package cgan

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/eval"
	"github.com/ganlab/ganlab/gan"
)

// toySet is a labelled 8×8 set of 3 classes that differ in where the bright half is: left,
// right or top, with per-pixel noise. A conditional generator that obeys y draws the right half.
func toySet(n int) *datasets.ImageSet {
	const s = 8
	set := &datasets.ImageSet{Name: "toy halves", N: n, H: s, W: s, C: 1, Pixels: make([]uint8, n*s*s),
		Labels: make([]int, n), Classes: []string{"left", "right", "top"}}
	for i := range n {
		class := i % 3
		set.Labels[i] = class
		for y := range s {
			for x := range s {
				v := 30 + (i*7+x*13+y*29)%40
				if (class == 0 && x < s/2) || (class == 1 && x >= s/2) || (class == 2 && y < s/2) {
					v = 255 - v
				}
				set.Pixels[(i*s+y)*s+x] = uint8(v)
			}
		}
	}
	return set
}

func toyConfig() Config {
	c := MNISTMLP()
	c.Classes, c.ImageSize, c.LatentDim = 3, 8, 8
	return c
}

func toyTrainer(t *testing.T) *gan.Trainer {
	t.Helper()
	c := toyConfig()
	cfg := c.GanConfig()
	cfg.BatchSize, cfg.LearningRateD, cfg.LearningRateG = 32, 1e-3, 1e-3
	cfg.MatchingAware = true
	tr, err := NewTrainer(backend.MustNew("go"), c, cfg, toySet(300))
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// classOf says which class's bright half an 8×8 image (values in [−1, 1]) has.
func classOf(img []float32) int {
	var left, right, top float64
	for y := range 8 {
		for x := range 8 {
			v := float64(img[y*8+x])
			if x < 4 {
				left += v
			} else {
				right += v
			}
			if y < 4 {
				top += v
			} else {
				top -= v
			}
		}
	}
	// left − right > 0 for class 0, < 0 for class 1; top − bottom large for class 2.
	return eval.Argmax([]float64{left - right, right - left, top})
}

// TestConditioningIsObeyed trains the MLP CGAN briefly on the toy halves and checks that samples
// asked for class y show class y's pattern; that the discriminator accepts real images with their
// label more than with another; and that a saved generator samples the same images after loading.
func TestConditioningIsObeyed(t *testing.T) {
	tr := toyTrainer(t)
	if err := tr.Train(context.Background(), 400, nil); err != nil {
		t.Fatal(err)
	}
	labels := BalancedLabels(90, 3)
	z, _ := gan.FixedNoise(90, tr.Config.LatentDim, 7)
	out, err := tr.GenerateLabeled(z, labels)
	if err != nil {
		t.Fatal(err)
	}
	correct := 0
	tensors.MustConstFlatData[float32](out, func(flat []float32) {
		for i, l := range labels {
			if classOf(flat[i*64:(i+1)*64]) == l {
				correct++
			}
		}
	})
	if acc := float64(correct) / 90; acc < 0.9 {
		t.Errorf("only %.0f%% of samples show the requested class's pattern", 100*acc)
	}

	set := toySet(60)
	realX := tensors.FromFlatDataAndDimensions(toFloat(set.Pixels), 60, 8, 8, 1)
	cases, err := FourCases(tr.Model, realX, set.Labels, 60, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !(cases[2].MeanD > cases[3].MeanD) || cases[3].RightPreferred < 0.8 {
		t.Errorf("the matching-aware D does not prefer real images with their own label: %+v", cases)
	}
	for _, c := range cases {
		if math.IsNaN(c.MeanD) || c.MeanD < 0 || c.MeanD > 1 || c.Accepted < 0 || c.Accepted > 1 {
			t.Errorf("case %q out of range: %+v", c.Name, c)
		}
	}

	path := filepath.Join(t.TempDir(), "cgan.gob")
	if err := tr.SaveModels(path, ModelName, true); err != nil {
		t.Fatal(err)
	}
	loaded, c, err := LoadGenerator(backend.MustNew("go"), path)
	if err != nil {
		t.Fatal(err)
	}
	if c != toyConfig() {
		t.Fatalf("config after load: %+v", c)
	}
	again, err := loaded.GenerateLabeled(z, labels)
	if err != nil {
		t.Fatal(err)
	}
	if !sameFloats(out, again) {
		t.Error("the loaded generator draws different images from the same z and labels")
	}
	if _, err := FourCases(loaded, realX, set.Labels, 60, 1); err != nil {
		t.Errorf("four cases on a loaded file with the discriminator: %v", err)
	}
	grid, images, err := ClassGrid(loaded, nil, 5, 3)
	if err != nil {
		t.Fatal(err)
	}
	if d := images.Shape().Dimensions; d[0] != 15 || grid.Bounds().Dx() == 0 {
		t.Errorf("class grid: %v images", d)
	}
}

func toFloat(pixels []uint8) []float32 {
	out := make([]float32, len(pixels))
	for i, p := range pixels {
		out[i] = float32(p)/127.5 - 1
	}
	return out
}

func sameFloats(a, b *tensors.Tensor) bool {
	var fa, fb []float32
	tensors.MustConstFlatData[float32](a, func(f []float32) { fa = append(fa, f...) })
	tensors.MustConstFlatData[float32](b, func(f []float32) { fb = append(fb, f...) })
	if len(fa) != len(fb) {
		return false
	}
	for i := range fa {
		if fa[i] != fb[i] {
			return false
		}
	}
	return true
}

// TestLabelsAreValidated: labels outside [0, classes) are errors naming the label, never
// wrapped; so are mismatched counts and the unconditional calls on a conditional generator.
func TestLabelsAreValidated(t *testing.T) {
	c := toyConfig()
	g, _, err := c.Models()
	if err != nil {
		t.Fatal(err)
	}
	tr, err := gan.NewConditionalModel(backend.MustNew("go"), c.GanConfig(), c.Classes, g, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, labels := range [][]int{{0, 3}, {-1}, {1, 2, 7}} {
		if _, err := tr.SampleLabeled(labels); err == nil || !strings.Contains(err.Error(), "outside [0, 3)") {
			t.Errorf("labels %v: %v", labels, err)
		}
	}
	z, _ := gan.FixedNoise(2, c.LatentDim, 1)
	if _, err := tr.GenerateLabeled(z, []int{0}); err == nil || !strings.Contains(err.Error(), "2 noise vectors but 1 labels") {
		t.Errorf("count mismatch: %v", err)
	}
	if _, err := tr.Sample(4); err == nil || !strings.Contains(err.Error(), "SampleLabeled") {
		t.Errorf("unconditional Sample on a conditional generator: %v", err)
	}
	if _, err := FourCases(tr, z, []int{0, 1}, 2, 1); err == nil || !strings.Contains(err.Error(), "discriminator") {
		t.Errorf("four cases without a discriminator: %v", err)
	}
	out, err := tr.SampleLabeled([]int{0, 1, 2, 2})
	if err != nil {
		t.Fatal(err)
	}
	if d := out.Shape().Dimensions; len(d) != 4 || d[0] != 4 || d[1] != 8 || d[3] != 1 {
		t.Errorf("samples of shape %v", d)
	}
}

// TestTrainerRejectsMismatchedData: the data and the model must agree on classes, channels and
// size, and the data must have labels.
func TestTrainerRejectsMismatchedData(t *testing.T) {
	b := backend.MustNew("go")
	c := toyConfig()
	set := toySet(30)
	for _, tc := range []struct {
		name string
		edit func(c *Config, s *datasets.ImageSet)
		want string
	}{
		{"classes", func(c *Config, s *datasets.ImageSet) { c.Classes = 4 }, "3 classes but the model was configured for 4"},
		{"channels", func(c *Config, s *datasets.ImageSet) { c.Channels = 3 }, "1 channel(s) per pixel but the model has 3"},
		{"size", func(c *Config, s *datasets.ImageSet) { c.ImageSize = 16 }, "8×8 images but the model makes 16×16"},
		{"unlabelled", func(c *Config, s *datasets.ImageSet) { s.Labels = nil }, "no labels"},
		{"one class", func(c *Config, s *datasets.ImageSet) { c.Classes = 1 }, "classes = 1"},
		{"arch", func(c *Config, s *datasets.ImageSet) { c.Arch = "rnn" }, "unknown architecture"},
		{"conv size", func(c *Config, s *datasets.ImageSet) { c.Arch, c.ImageSize = "conv", 20 }, "cannot build 20×20"},
	} {
		cc, ss := c, *set
		tc.edit(&cc, &ss)
		cfg := cc.GanConfig()
		if _, err := NewTrainer(b, cc, cfg, &ss); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
}

// TestConvVariantTrains builds the convolutional CGAN at 28×28 and runs two training steps on
// random labelled images: shapes, the label channels in D and finite losses.
func TestConvVariantTrains(t *testing.T) {
	c := MNIST()
	set := &datasets.ImageSet{Name: "noise", N: 16, H: 28, W: 28, C: 1, Pixels: make([]uint8, 16*28*28), Labels: make([]int, 16), Classes: make([]string, 10)}
	for i := range set.Pixels {
		set.Pixels[i] = uint8(i * 31)
	}
	for i := range set.Labels {
		set.Labels[i] = i % 10
	}
	cfg := c.GanConfig()
	cfg.BatchSize = 8
	tr, err := NewTrainer(backend.MustNew("go"), c, cfg, set)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Train(context.Background(), 2, nil); err != nil {
		t.Fatal(err)
	}
	for _, r := range tr.History.Steps {
		if math.IsNaN(r.LossD) || math.IsNaN(r.LossG) {
			t.Fatalf("non-finite loss: %+v", r)
		}
	}
	out, err := tr.SampleLabeled([]int{3, 9})
	if err != nil {
		t.Fatal(err)
	}
	if d := out.Shape().Dimensions; d[0] != 2 || d[1] != 28 || d[2] != 28 || d[3] != 1 {
		t.Errorf("conv samples of shape %v", d)
	}
}

// TestResumeIsExactConditional: the fake labels come from the Store's RNG and the real labels
// from the batcher, both in the checkpoint, so N straight steps equal N/2 + resume + N/2.
func TestResumeIsExactConditional(t *testing.T) {
	const n = 10
	straight := toyTrainer(t)
	if err := straight.Train(context.Background(), n, nil); err != nil {
		t.Fatal(err)
	}
	first := toyTrainer(t)
	if err := first.Train(context.Background(), n/2, nil); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := first.Save(dir, ModelName, 1); err != nil {
		t.Fatal(err)
	}
	resumed := toyTrainer(t)
	if err := resumed.Load(dir, ModelName); err != nil {
		t.Fatal(err)
	}
	if err := resumed.Train(context.Background(), n, nil); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		a, b := straight.History.Steps[i], resumed.History.Steps[i]
		a.Seconds, b.Seconds = 0, 0
		if a != b {
			t.Fatalf("step %d: straight %+v, resumed %+v", i+1, a, b)
		}
	}
}
