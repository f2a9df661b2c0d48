package gan

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/datasets"
)

var testBackend = func() any { backend.Quiet(); return nil }()

func newToyTrainer(t *testing.T, cfg Config) *Trainer {
	t.Helper()
	g, d := Toy1DModels()
	tr, err := NewTrainer(backend.MustNew("go"), cfg, g, d, &Toy1D{Dist: datasets.Gaussian{Mu: 4, Sigma: 1.25}, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func variablesOf(store *model.Store) map[string][]byte {
	out := map[string][]byte{}
	for v := range store.IterVariables() {
		if v.HasValue() {
			_ = v.MustValue().ConstBytes(func(b []byte) { out[v.Path()] = append([]byte(nil), b...) })
		}
	}
	return out
}

// TestResumeIsExact: N steps straight equal N/2 steps, a checkpoint, a fresh trainer loading it,
// and N/2 more steps — losses and every variable bit for bit (the go backend is deterministic,
// the noise RNG state and the data position are in the checkpoint).
func TestResumeIsExact(t *testing.T) {
	for _, simultaneous := range []bool{false, true} {
		cfg := Toy1DConfig()
		cfg.K = 2
		cfg.Simultaneous = simultaneous
		const n = 12
		straight := newToyTrainer(t, cfg)
		if err := straight.Train(context.Background(), n, nil); err != nil {
			t.Fatal(err)
		}
		first := newToyTrainer(t, cfg)
		if err := first.Train(context.Background(), n/2, nil); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		if _, err := first.Save(dir, "gan1d", 2); err != nil {
			t.Fatal(err)
		}
		resumed := newToyTrainer(t, cfg)
		if err := resumed.Load(dir, "gan1d"); err != nil {
			t.Fatal(err)
		}
		if resumed.Step() != n/2 {
			t.Fatalf("resumed at step %d", resumed.Step())
		}
		if err := resumed.Train(context.Background(), n, nil); err != nil {
			t.Fatal(err)
		}
		for i := range n {
			a, b := straight.History.Steps[i], resumed.History.Steps[i]
			a.Seconds, b.Seconds = 0, 0
			if a != b {
				t.Fatalf("simultaneous=%v step %d: straight %+v, resumed %+v", simultaneous, i+1, a, b)
			}
		}
		want, got := variablesOf(straight.Store), variablesOf(resumed.Store)
		if len(want) != len(got) {
			t.Fatalf("%d variables straight, %d resumed", len(want), len(got))
		}
		for path, w := range want {
			if string(got[path]) != string(w) {
				t.Fatalf("simultaneous=%v: variable %s differs after resume", simultaneous, path)
			}
		}
	}
}

func TestCheckpointErrors(t *testing.T) {
	cfg := Toy1DConfig()
	tr := newToyTrainer(t, cfg)
	if err := tr.Train(context.Background(), 2, nil); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path, err := tr.Save(dir, "gan1d", 0)
	if err != nil {
		t.Fatal(err)
	}
	other := newToyTrainer(t, cfg)
	if err := other.Load(path, "gan2d"); err == nil || !strings.Contains(err.Error(), `of model "gan1d"`) {
		t.Fatalf("wrong model name: %v", err)
	}
	// Same name, different architecture: the shapes disagree.
	wide := MLP{Hidden: []int{8}, Activation: ActTanh, Out: 1}
	mismatched, _ := NewTrainer(backend.MustNew("go"), cfg, wide.Generator(), wide.Discriminator(), &Toy1D{Dist: datasets.Gaussian{Mu: 0, Sigma: 1}})
	if _, err := mismatched.TrainStep(); err != nil {
		t.Fatal(err)
	}
	if err := mismatched.Load(path, "gan1d"); err == nil || !strings.Contains(err.Error(), "does not fit this model") {
		t.Fatalf("architecture mismatch: %v", err)
	}
	corrupt := filepath.Join(dir, "ckpt-99999999.gob")
	if err := os.WriteFile(corrupt, []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := other.Load(corrupt, "gan1d"); err == nil || !strings.Contains(err.Error(), "corrupt") || !strings.Contains(err.Error(), corrupt) {
		t.Fatalf("corrupt checkpoint: %v", err)
	}
	if err := other.Load(filepath.Join(dir, "nope.gob"), "gan1d"); err == nil {
		t.Fatal("missing checkpoint accepted")
	}
	if err := other.Load(t.TempDir(), "gan1d"); err == nil || !strings.Contains(err.Error(), "no ckpt") {
		t.Fatalf("empty dir: %v", err)
	}
}

// TestDivergenceStopsAndNothingIsSavedWithNaN uses a discriminator whose logits are NaN.
func TestDivergenceStopsAndNothingIsSavedWithNaN(t *testing.T) {
	g, d := Toy1DModels()
	nanD := func(scope *model.Scope, x *Node) *Node {
		l := d(scope, x)
		return Div(l, ZerosLike(l)) // ±Inf or NaN
	}
	tr, err := NewTrainer(backend.MustNew("go"), Toy1DConfig(), g, nanD, &Toy1D{Dist: datasets.Gaussian{Mu: 0, Sigma: 1}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = tr.TrainStep()
	var div *DivergenceError
	if !errors.As(err, &div) || div.Step != 1 || !strings.Contains(err.Error(), "diverged at step 1") {
		t.Fatalf("want a divergence error at step 1, got %v", err)
	}
	if tr.Step() != 0 {
		t.Fatalf("a diverged step was counted: step %d", tr.Step())
	}
	if _, err := tr.Save(t.TempDir(), "x", 0); err == nil || !strings.Contains(err.Error(), "not saving") {
		t.Fatalf("saved NaN weights: %v", err)
	}
}

func TestConfigValidation(t *testing.T) {
	mutations := map[string]func(c *Config){
		"latent size":   func(c *Config) { c.LatentDim = 0 },
		"batch size":    func(c *Config) { c.BatchSize = 0 },
		"k (":           func(c *Config) { c.K = 0 },
		"discriminator": func(c *Config) { c.LearningRateD = -1 },
		"generator":     func(c *Config) { c.LearningRateG = 0 },
		"beta1":         func(c *Config) { c.Beta1 = 1 },
	}
	for want, mutate := range mutations {
		c := DefaultConfig()
		mutate(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("mutation %q: %v", want, err)
		}
		if _, err := NewTrainer(backend.MustNew("go"), c, nil, nil, nil); err == nil {
			t.Errorf("NewTrainer accepted an invalid config (%s)", want)
		}
	}
	if _, err := ParseGeneratorLoss("wasserstein"); err == nil {
		t.Error("unknown loss accepted")
	}
}

// TestRealDataWithNaNIsRejected: a data source producing NaN stops training with a message.
func TestRealDataWithNaNIsRejected(t *testing.T) {
	g, d := Toy1DModels()
	tr, _ := NewTrainer(backend.MustNew("go"), Toy1DConfig(), g, d, nanSource{})
	if _, err := tr.TrainStep(); err == nil || !strings.Contains(err.Error(), "real batch at step 1") {
		t.Fatalf("NaN data: %v", err)
	}
}

type nanSource struct{}

func (nanSource) Next(m int) (*tensors.Tensor, error) {
	data := make([]float32, m)
	data[m/2] = float32(nanValue())
	return tensors.FromFlatDataAndDimensions(data, m, 1), nil
}
func (nanSource) State() ([]byte, error) { return nil, nil }
func (nanSource) Restore([]byte) error   { return nil }

func TestEvaluationHookRecordsMetrics(t *testing.T) {
	tr := newToyTrainer(t, Toy1DConfig())
	calls := 0
	tr.EvalEvery = 3
	tr.OnEval = func(t *Trainer) (map[string]float64, error) {
		calls++
		return map[string]float64{"step_times_two": float64(2 * t.Step())}, nil
	}
	if err := tr.Train(context.Background(), 7, nil); err != nil {
		t.Fatal(err)
	}
	if calls != 2 || len(tr.History.Evals) != 2 || tr.History.Evals[1].Step != 6 || tr.History.Evals[1].Metrics["step_times_two"] != 12 {
		t.Fatalf("evals: %d calls, %+v", calls, tr.History.Evals)
	}
	var csv strings.Builder
	if err := tr.History.WriteCSV(&csv); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
	if len(lines) != 8 || !strings.HasSuffix(lines[0], ",step_times_two") || !strings.HasSuffix(lines[3], ",6") || !strings.HasSuffix(lines[2], ",") {
		t.Fatalf("csv:\n%s", csv.String())
	}
}

// TestSampleInChunks: more samples than one chunk come back complete and distinct.
func TestSampleInChunks(t *testing.T) {
	tr := newToyTrainer(t, Toy1DConfig())
	n := 2*SampleChunk + 7
	out, err := tr.Sample(n)
	if err != nil {
		t.Fatal(err)
	}
	if d := out.Shape().Dimensions; d[0] != n || d[1] != 1 {
		t.Fatalf("shape %v", d)
	}
	v := out.Value().([][]float32)
	if v[0][0] == v[SampleChunk][0] || v[1][0] == v[SampleChunk+1][0] {
		t.Fatal("chunks repeat the same noise")
	}
	ds, err := tr.Discriminate(out)
	if err != nil || len(ds) != n {
		t.Fatalf("discriminate in chunks: %d values, %v", len(ds), err)
	}
}

// TestSetLearningRates: new rates reach the optimizers of a run already built (or resumed: the
// rates live in the Store), steps then move the weights by about the new rate, and checkpoints
// keep the new rates.
func TestSetLearningRates(t *testing.T) {
	for _, opt := range []Optimizer{Adam, GradientSteps} {
		t.Run(opt.String(), func(t *testing.T) { testSetLearningRates(t, opt) })
	}
}

func testSetLearningRates(t *testing.T, opt Optimizer) {
	cfg := Toy1DConfig()
	cfg.Simultaneous, cfg.Optimizer = true, opt
	tr := newToyTrainer(t, cfg)
	if err := tr.Train(context.Background(), 3, nil); err != nil {
		t.Fatal(err)
	}
	if err := tr.SetLearningRates(0, 1e-3); err == nil {
		t.Fatal("a zero learning rate was accepted")
	}
	const tiny = 1e-9
	if err := tr.SetLearningRates(tiny, tiny); err != nil {
		t.Fatal(err)
	}
	maxStep := func() float64 {
		before := map[string][]float32{}
		for v := range tr.Store.IterVariables() {
			if v.Trainable && v.HasValue() {
				before[v.Path()] = tensors.MustCopyFlatData[float32](v.MustValue())
			}
		}
		if _, err := tr.TrainStep(); err != nil {
			t.Fatal(err)
		}
		largest := 0.0
		for path, old := range before {
			for i, w := range tensors.MustCopyFlatData[float32](tr.Store.GetVariable(path).MustValue()) {
				largest = max(largest, math.Abs(float64(w-old[i])))
			}
		}
		return largest
	}
	if step := maxStep(); step > 100*tiny {
		t.Fatalf("after SetLearningRates(%g): a weight moved by %g", tiny, step)
	}
	dir := t.TempDir()
	if _, err := tr.Save(dir, "gan1d", 1); err != nil {
		t.Fatal(err)
	}
	resumed := newToyTrainer(t, cfg)
	if err := resumed.Load(dir, "gan1d"); err != nil {
		t.Fatal(err)
	}
	if resumed.Config.LearningRateD != tiny || resumed.Config.LearningRateG != tiny {
		t.Fatalf("resumed configuration has rates %g, %g", resumed.Config.LearningRateD, resumed.Config.LearningRateG)
	}
	if err := tr.SetLearningRates(1e-2, 1e-2); err != nil {
		t.Fatal(err)
	}
	if step := maxStep(); step < 1e-3 {
		t.Fatalf("after SetLearningRates(0.01): the largest weight change is only %g", step)
	}
}

// TestLearningRateDecay: RateScale falls linearly from 1 at LRDecayFrom to 1/(To − From + 1) at
// LRDecayTo, the optimizers read the scaled rates from that step on while Config keeps the base
// rates, and Validate refuses a decay that starts at step 1 or ends before it starts.
func TestLearningRateDecay(t *testing.T) {
	cfg := Toy1DConfig()
	cfg.Simultaneous, cfg.LRDecayFrom, cfg.LRDecayTo = true, 3, 6
	for s, want := range map[int]float64{1: 1, 2: 1, 3: 1, 4: 0.75, 5: 0.5, 6: 0.25, 9: 0.25} {
		if got := cfg.RateScale(s); math.Abs(got-want) > 1e-12 {
			t.Errorf("RateScale(%d) = %g, want %g", s, got, want)
		}
	}
	for _, bad := range [][2]int{{1, 5}, {4, 4}, {0, 5}, {5, 0}} {
		c := cfg
		c.LRDecayFrom, c.LRDecayTo = bad[0], bad[1]
		if c.Validate() == nil {
			t.Errorf("decay %v accepted", bad)
		}
	}
	tr := newToyTrainer(t, cfg)
	rate := func(scope string) float64 {
		v := tr.Store.GetVariable("/" + scope + "/" + optimizer.Scope + "/" + optimizer.ParamLearningRate)
		return scalar(v.MustValue())
	}
	for step, scale := range []float64{1, 1, 1, 0.75, 0.5} {
		if _, err := tr.TrainStep(); err != nil {
			t.Fatal(err)
		}
		if d, g := rate(DiscScope), rate(GenScope); math.Abs(d-scale*cfg.LearningRateD) > 1e-9 || math.Abs(g-scale*cfg.LearningRateG) > 1e-9 {
			t.Fatalf("after step %d: rates %g, %g, want %g × (%g, %g)", step+1, d, g, scale, cfg.LearningRateD, cfg.LearningRateG)
		}
	}
	if tr.Config.LearningRateD != cfg.LearningRateD || tr.Config.LearningRateG != cfg.LearningRateG {
		t.Fatalf("the decay changed Config's rates to %g, %g", tr.Config.LearningRateD, tr.Config.LearningRateG)
	}
}

// TestInstanceNoise: the noise's standard deviation falls linearly to 0 at InstanceNoiseSteps,
// the variable the graphs read holds each step's value, both update schemes train with it, and D
// sees other inputs than without it (its outputs at the first step differ, from the same weights
// and batch).
func TestInstanceNoise(t *testing.T) {
	cfg := Toy1DConfig()
	cfg.InstanceNoise, cfg.InstanceNoiseSteps = 0.5, 4
	for s, want := range map[int]float64{1: 0.5, 2: 0.375, 3: 0.25, 4: 0.125, 5: 0, 9: 0} {
		if got := cfg.NoiseScale(s); math.Abs(got-want) > 1e-12 {
			t.Errorf("NoiseScale(%d) = %g, want %g", s, got, want)
		}
	}
	for _, bad := range []Config{{InstanceNoise: -1, InstanceNoiseSteps: 3}, {InstanceNoise: math.Inf(1), InstanceNoiseSteps: 3}, {InstanceNoise: 0.1}} {
		c := cfg
		c.InstanceNoise, c.InstanceNoiseSteps = bad.InstanceNoise, bad.InstanceNoiseSteps
		if c.Validate() == nil {
			t.Errorf("instance noise %g over %d steps accepted", bad.InstanceNoise, bad.InstanceNoiseSteps)
		}
	}
	for _, simultaneous := range []bool{false, true} {
		cfg.Simultaneous = simultaneous
		plain := cfg
		plain.InstanceNoise, plain.InstanceNoiseSteps = 0, 0
		noisy, clean := newToyTrainer(t, cfg), newToyTrainer(t, plain)
		for step := 1; step <= 6; step++ {
			rec, err := noisy.TrainStep()
			if err != nil {
				t.Fatal(err)
			}
			if got := scalar(noisy.Store.GetVariable(noiseStdPath).MustValue()); math.Abs(got-cfg.NoiseScale(step)) > 1e-7 {
				t.Fatalf("simultaneous %v, step %d: noise std %g, want %g", simultaneous, step, got, cfg.NoiseScale(step))
			}
			if step == 1 {
				base, err := clean.TrainStep()
				if err != nil {
					t.Fatal(err)
				}
				if rec.DReal == base.DReal {
					t.Errorf("simultaneous %v: D(x) %g with and without instance noise", simultaneous, rec.DReal)
				}
			}
		}
	}
}
