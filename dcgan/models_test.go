package dcgan

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/gan"
)

type noise struct{ rng *rand.Rand }

func (n *noise) Next(m int) (*tensors.Tensor, error) {
	data := make([]float32, m*28*28)
	for i := range data {
		data[i] = 2*n.rng.Float32() - 1
	}
	return tensors.FromFlatDataAndDimensions(data, m, 28, 28, 1), nil
}
func (n *noise) State() ([]byte, error) { return nil, nil }
func (n *noise) Restore([]byte) error   { return nil }

// TestTutorialModelsTrainAndSample: the tutorial model's shapes, its parameter count (the same
// as the PyTorch anchor's: 2,305,472 in G without batch-norm statistics, 212,865 in D), one
// simultaneous training step, and samples in [−1, 1].
func TestTutorialModelsTrainAndSample(t *testing.T) {
	backend.Quiet()
	cfg := gan.DefaultConfig()
	cfg.BatchSize, cfg.Simultaneous = 4, true
	g, d := TutorialModels()
	tr, err := gan.NewTrainer(backend.MustNew("go"), cfg, g, d, &noise{rand.New(rand.NewPCG(1, 2))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.TrainStep(); err != nil {
		t.Fatal(err)
	}
	count := trainableParameters(tr)
	if count["/generator"] != 2305472 || count["/discrimin"] != 212865 {
		t.Fatalf("trainable parameters: %v", count)
	}
	out, err := tr.Sample(3)
	if err != nil {
		t.Fatal(err)
	}
	if dims := out.Shape().Dimensions; len(dims) != 4 || dims[0] != 3 || dims[1] != 28 || dims[3] != 1 {
		t.Fatalf("sample shape %v", out.Shape())
	}
	tensors.MustConstFlatData[float32](out, func(flat []float32) {
		for _, v := range flat {
			if v < -1 || v > 1 {
				t.Fatalf("sample value %g outside [−1, 1]", v)
			}
		}
	})
}

// TestExecutorDoesNotChangeResults: the go backend's default executor (independent ops
// concurrently, one executor per core) and ops_sequential give bit-identical training: the same
// samples after three simultaneous steps of the tutorial's model.
func TestExecutorDoesNotChangeResults(t *testing.T) {
	backend.Quiet()
	samplesWith := func(config string, dataSeed uint64) []float32 {
		cfg := gan.DefaultConfig()
		cfg.BatchSize, cfg.Simultaneous = 8, true
		g, d := TutorialModels()
		tr, err := gan.NewTrainer(backend.MustNew(config), cfg, g, d, &noise{rand.New(rand.NewPCG(dataSeed, 2))})
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if _, err := tr.TrainStep(); err != nil {
				t.Fatal(err)
			}
		}
		out, err := tr.Sample(4)
		if err != nil {
			t.Fatal(err)
		}
		return tensors.MustCopyFlatData[float32](out)
	}
	sequential, concurrent := samplesWith("go:ops_sequential", 1), samplesWith("go", 1)
	if !slices.Equal(sequential, concurrent) {
		t.Fatal("ops_sequential and the default executor trained different generators")
	}
	if slices.Equal(concurrent, samplesWith("go", 3)) { // the comparison can tell generators apart
		t.Fatal("training on other data gave the same samples")
	}
}

type randomRGB struct {
	rng  *rand.Rand
	size int
}

func (n *randomRGB) Next(m int) (*tensors.Tensor, error) {
	data := make([]float32, m*n.size*n.size*3)
	for i := range data {
		data[i] = 2*n.rng.Float32() - 1
	}
	return tensors.FromFlatDataAndDimensions(data, m, n.size, n.size, 3), nil
}
func (n *randomRGB) State() ([]byte, error) { return nil, nil }
func (n *randomRGB) Restore([]byte) error   { return nil }

// TestPaper64TrainsOnRGB: the paper's 64×64×3 model (Fig. 2 widths 1024…128) builds, takes a few
// Algorithm-1 steps on 64×64 RGB data in which every trainable variable of both networks moves
// (the gradients reach each layer) and both losses change from step to step, finite, and samples
// 64×64×3 images; its parameter
// count is that of the paper's widths, bias-free with batch-norm scale and offset: 12,658,432 in G
// and 11,036,160 in D (the PyTorch DCGAN example, at half these widths, has 3,576,704 and 2,765,568).
func TestPaper64TrainsOnRGB(t *testing.T) {
	if testing.Short() {
		t.Skip("a few seconds of 64×64 convolutions")
	}
	backend.Quiet()
	g, d, err := Paper64().Models()
	if err != nil {
		t.Fatal(err)
	}
	cfg := gan.DefaultConfig()
	cfg.BatchSize = 4
	tr, err := gan.NewTrainer(backend.MustNew("go"), cfg, g, d, &randomRGB{rand.New(rand.NewPCG(3, 4)), 64})
	if err != nil {
		t.Fatal(err)
	}
	var before map[string][]float32
	for step := range 3 {
		if _, err := tr.TrainStep(); err != nil {
			t.Fatal(err)
		}
		if step == 0 { // the variables exist from the first step on
			before = trainableValues(tr)
		}
	}
	for path, now := range trainableValues(tr) {
		if slices.Equal(now, before[path]) {
			t.Errorf("%s did not move in two training steps", path)
		}
	}
	for i, r := range tr.History.Steps[1:] {
		last := tr.History.Steps[i]
		if r.LossD == last.LossD || r.LossG == last.LossG || math.IsNaN(r.LossD+r.LossG) || math.IsInf(r.LossD+r.LossG, 0) {
			t.Errorf("losses at steps %d and %d: D %v, %v; G %v, %v", last.Step, r.Step, last.LossD, r.LossD, last.LossG, r.LossG)
		}
	}
	count := trainableParameters(tr)
	if count["/generator"] != 12658432 || count["/discrimin"] != 11036160 {
		t.Fatalf("trainable parameters: %v", count)
	}
	out, err := tr.Sample(2)
	if err != nil {
		t.Fatal(err)
	}
	if dims := out.Shape().Dimensions; dims[1] != 64 || dims[2] != 64 || dims[3] != 3 {
		t.Fatalf("sample shape %v", out.Shape())
	}
}

func TestConfigValidation(t *testing.T) {
	bad := map[string]func(c *Config){
		"cannot build 48×48":                    func(c *Config) { c.ImageSize = 48 },
		"channels = 2":                          func(c *Config) { c.Channels = 2 },
		"latent size = 0":                       func(c *Config) { c.LatentDim = 0 },
		"discriminator normalization \"layer\"": func(c *Config) { c.DiscriminatorNorm = "layer" },
	}
	for want, mutate := range bad {
		c := Paper64()
		mutate(&c)
		if _, _, err := c.Models(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v", want, err)
		}
	}
	c := MNIST()
	c.ImageSize = 64
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "28×28 images only") {
		t.Errorf("mnist preset at 64: %v", err)
	}
	if _, err := Preset("stylegan"); err == nil {
		t.Error("unknown preset accepted")
	}
	for _, size := range []int{16, 32, 128} {
		c := Paper64()
		c.ImageSize = size
		if err := c.Validate(); err != nil {
			t.Errorf("size %d: %v", size, err)
		}
	}
}

// trainableParameters counts trainable parameters per network, keyed "/generator" and
// "/discrimin" (the first 10 characters of the scope).
// trainableValues copies every trainable variable's values, by path.
func trainableValues(tr *gan.Trainer) map[string][]float32 {
	values := map[string][]float32{}
	for v := range tr.Store.IterVariables() {
		if v.Trainable {
			values[v.Path()] = tensors.MustCopyFlatData[float32](v.MustValue())
		}
	}
	return values
}

func trainableParameters(tr *gan.Trainer) map[string]int {
	count := map[string]int{}
	for v := range tr.Store.IterVariables() {
		if v.Trainable {
			count[v.Scope()[:len("/generator")]] += v.Shape().Size()
		}
	}
	return count
}
