package gan

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/support/exceptions"

	"github.com/ganlab/ganlab/blocks"
)

// Generator maps noise z [B, LatentDim] to examples [B, ...]. It is a GoMLX graph function: its
// variables live under scope.
type Generator func(scope *model.Scope, z *Node) *Node

// Discriminator maps examples [B, ...] to logits [B] or [B, 1]: D(x) = σ(logit) is the
// probability that x came from the data (for LeastSquares and Hinge the raw output is used).
type Discriminator func(scope *model.Scope, x *Node) *Node

// ConditionalGenerator maps noise z [B, LatentDim] and class labels y [B] (int32 in
// [0, classes)) to examples [B, ...]: G(z|y) of Mirza & Osindero (2014).
type ConditionalGenerator func(scope *model.Scope, z, y *Node) *Node

// ConditionalDiscriminator maps examples [B, ...] and their labels y [B] (int32) to logits:
// D(x|y) of Mirza & Osindero (2014).
type ConditionalDiscriminator func(scope *model.Scope, x, y *Node) *Node

// Scope names of the two networks and their optimizers in the Store.
const (
	GenScope      = "generator"
	DiscScope     = "discriminator"
	genAdamScope  = "adam_generator"
	discAdamScope = "adam_discriminator"
)

// Model is a generator G and, optionally, a discriminator D with their weights: what loaders
// return and what a user samples from. A conditional model (Mirza & Osindero 2014) takes class
// labels y in [0, Classes) in both networks: G(z|y), D(x|y); every method that feeds a network
// takes the labels as an extra argument, and an unconditional model's labels are nil. A Trainer
// wraps a Model to train it.
type Model struct {
	// Name identifies the architecture in the files it saves; loading checks it.
	Name    string
	Config  Config
	Backend compute.Backend
	Store   *model.Store
	// Classes > 0 for a conditional model.
	Classes int
	// History is how the weights were trained (from a checkpoint or generator file, or the
	// Trainer's own steps).
	History *History
	// Meta describes the model for the files it saves (e.g. the architecture of a configurable
	// model, so that a sampler can rebuild it); loading restores it.
	Meta map[string]string
	// Progress, if set, hears how far a long operation is: sampling, generating or discriminating
	// in chunks of SampleChunk examples, and RecalibrateBatchNorm's batches.
	Progress func(done, total int)

	step         int // generator steps the weights have been trained for
	g            ConditionalGenerator
	d            ConditionalDiscriminator // nil: a generator alone
	sampler      *blocks.InferenceExec
	discriminate *blocks.InferenceExec
}

// NewModel prepares an unconditional model with a fresh Store seeded from cfg.Seed. d may be
// nil for a generator alone (sampling a shipped generator file). Load a checkpoint or generator
// file into it, or train it with NewTrainerOf.
func NewModel(backend compute.Backend, cfg Config, g Generator, d Discriminator) (*Model, error) {
	if g == nil {
		return nil, errors.New("gan.NewModel: a generator is required")
	}
	cg := func(scope *model.Scope, z, _ *Node) *Node { return g(scope, z) }
	var cd ConditionalDiscriminator
	if d != nil {
		cd = func(scope *model.Scope, x, _ *Node) *Node { return d(scope, x) }
	}
	return newModel(backend, cfg, 0, cg, cd)
}

// NewConditionalModel prepares a conditional model G(z|y), D(x|y) over classes labels
// (Eq. 18, docs/equations.md); d may be nil for a generator alone.
func NewConditionalModel(backend compute.Backend, cfg Config, classes int, g ConditionalGenerator, d ConditionalDiscriminator) (*Model, error) {
	if g == nil {
		return nil, errors.New("gan.NewConditionalModel: a generator is required")
	}
	if classes < 2 {
		return nil, fmt.Errorf("invalid configuration: classes = %d, want ≥ 2", classes)
	}
	return newModel(backend, cfg, classes, g, d)
}

func newModel(backend compute.Backend, cfg Config, classes int, g ConditionalGenerator, d ConditionalDiscriminator) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if backend == nil {
		return nil, errors.New("gan: a backend is required")
	}
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, int64(cfg.Seed))
	if err := store.SetRNGStateFromSeed(int64(cfg.Seed)); err != nil {
		return nil, err
	}
	return &Model{Config: cfg, Backend: backend, Store: store, Classes: classes, History: &History{}, g: g, d: d}, nil
}

// Step is the number of generator steps the weights were trained for.
func (m *Model) Step() int { return m.step }

// HasDiscriminator reports whether the Store holds trained discriminator variables (a
// generator-only file does not): without them D would be freshly initialised, not trained.
func (m *Model) HasDiscriminator() bool {
	if m.d == nil {
		return false
	}
	prefix := "/" + DiscScope + "/"
	for v := range m.Store.IterVariables() {
		if strings.HasPrefix(v.Path(), prefix) && v.HasValue() {
			return true
		}
	}
	return false
}

// Conditional reports whether the networks take class labels.
func (m *Model) Conditional() bool { return m.Classes > 0 }

// CheckLabels returns an error naming the first label outside [0, Classes).
func (m *Model) CheckLabels(labels []int) error {
	if !m.Conditional() {
		return errors.New("this generator is not conditional: it takes no labels")
	}
	for i, l := range labels {
		if l < 0 || l >= m.Classes {
			return fmt.Errorf("label %d (at position %d) is outside [0, %d)", l, i, m.Classes)
		}
	}
	return nil
}

// generate runs G(z) or G(z|y) in the generator's scope; y is nil for an unconditional model.
func (m *Model) generate(scope *model.Scope, z, y *Node) *Node {
	return m.g(scope.At(GenScope), z, y)
}

// logitsOf runs the discriminator in the discriminator's scope (so that it can be called on real
// and on generated examples in one graph) and flattens its output to [B]. y is nil for an
// unconditional model.
func (m *Model) logitsOf(scope *model.Scope, x, y *Node) *Node {
	l := m.d(scope.At(DiscScope), x, y)
	return Reshape(l, l.Shape().Dimensions[0])
}

// latent draws z [m, LatentDim] from p_z inside the graph (the Store's RNG advances).
func (m *Model) latent(scope *model.Scope, g *Graph, n int) *Node {
	shape := shapes.Make(dtypes.Float32, n, m.Config.LatentDim)
	if m.Config.LatentUniform {
		return AddScalar(MulScalar(scope.RandomUniform(g, shape), 2), -1)
	}
	return scope.RandomNormal(g, shape)
}

// fakeLabels draws the labels given to generated examples, uniform over the classes (nil for
// an unconditional model).
func (m *Model) fakeLabels(scope *model.Scope, g *Graph, n int) *Node {
	if !m.Conditional() {
		return nil
	}
	return scope.RandomIntN(g, int32(m.Classes), shapes.Make(dtypes.Int32, n))
}

// Sample draws n examples from the generator in inference mode (fresh noise from the Store's
// RNG, which advances). It always uses the current weights. A conditional generator needs
// SampleLabeled.
func (m *Model) Sample(n int) (*tensors.Tensor, error) {
	if m.Conditional() {
		return nil, errors.New("this generator is conditional: use SampleLabeled")
	}
	return m.sample(n, nil)
}

// SampleLabeled draws one example of each requested class label (conditional generators):
// G(z|y) with fresh noise z. A label outside [0, Classes) is an error.
func (m *Model) SampleLabeled(labels []int) (*tensors.Tensor, error) {
	if err := m.CheckLabels(labels); err != nil {
		return nil, err
	}
	return m.sample(len(labels), labels)
}

func (m *Model) sample(n int, labels []int) (*tensors.Tensor, error) {
	if n <= 0 {
		return nil, fmt.Errorf("sample count must be > 0, got %d", n)
	}
	if m.sampler == nil {
		m.sampler = blocks.NewInferenceExec(m.Backend, m.Store, func(scope *model.Scope, inputs []*Node) *Node {
			nT, y := unpackBatch(inputs)
			return m.generate(scope, m.latent(scope, nT.Graph(), nT.Shape().Dimensions[0]), y)
		})
	}
	// In chunks: a convolutional generator's patch matrices grow with the batch (10 000 MNIST
	// samples at once would need tens of GB).
	return m.concatChunks(n, func(start, count int) (*tensors.Tensor, error) {
		return m.callOne(m.sampler, withLabels(tensors.FromShape(shapes.Make(dtypes.Float32, count)), labels, start, count)...)
	})
}

// labelTensor converts labels to an int32 tensor [n].
func labelTensor(labels []int) *tensors.Tensor {
	y := make([]int32, len(labels))
	for i, l := range labels {
		y[i] = int32(l)
	}
	return tensors.FromFlatDataAndDimensions(y, len(y))
}

// withLabels is a graph call's inputs for the chunk [start, start+m) of examples: first, and the
// chunk's labels when the GAN is conditional (labels != nil).
func withLabels(first *tensors.Tensor, labels []int, start, m int) []any {
	if labels == nil {
		return []any{first}
	}
	return []any{first, labelTensor(labels[start : start+m])}
}

// SampleChunk is how many examples Sample, Generate and Discriminate compute per graph call.
const SampleChunk = 250

// concatChunks calls part for consecutive chunks of at most SampleChunk of n examples and
// concatenates the results along the first axis, telling Progress.
func (m *Model) concatChunks(n int, part func(start, m int) (*tensors.Tensor, error)) (*tensors.Tensor, error) {
	if n <= SampleChunk {
		return part(0, n)
	}
	var flat []float32
	var dims []int
	for start := 0; start < n; start += SampleChunk {
		out, err := part(start, min(SampleChunk, n-start))
		if err != nil {
			return nil, err
		}
		dims = out.Shape().Dimensions
		tensors.MustConstFlatData[float32](out, func(f []float32) { flat = append(flat, f...) })
		out.FinalizeAll()
		if m.Progress != nil {
			m.Progress(min(start+SampleChunk, n), n)
		}
	}
	dims = append([]int{n}, dims[1:]...)
	return tensors.FromFlatDataAndDimensions(flat, dims...), nil
}

// CopyExamples copies examples [start, start+m) of a float32 tensor along its first axis. Always a
// copy: the caller's tensor may live on another backend instance (one generator's samples fed to
// another's discriminator), which a graph call refuses.
func CopyExamples(x *tensors.Tensor, start, m int) *tensors.Tensor {
	dims := x.Shape().Dimensions
	size := x.Shape().Size() / dims[0]
	var part []float32
	tensors.MustConstFlatData[float32](x, func(f []float32) { part = append([]float32(nil), f[start*size:(start+m)*size]...) })
	return tensors.FromFlatDataAndDimensions(part, append([]int{m}, dims[1:]...)...)
}

// Generate runs the generator on given noise z [n, LatentDim] (fixed-noise grids, interpolation).
func (m *Model) Generate(z *tensors.Tensor) (*tensors.Tensor, error) {
	if m.Conditional() {
		return nil, errors.New("this generator is conditional: use GenerateLabeled")
	}
	return m.generateFrom(z, nil)
}

// GenerateLabeled runs a conditional generator on given noise z [n, LatentDim] and labels
// (n of them, each in [0, Classes)): class grids keep z fixed along a column while the label
// changes.
func (m *Model) GenerateLabeled(z *tensors.Tensor, labels []int) (*tensors.Tensor, error) {
	if err := m.CheckLabels(labels); err != nil {
		return nil, err
	}
	if n := z.Shape().Dimensions[0]; n != len(labels) {
		return nil, fmt.Errorf("%d noise vectors but %d labels", n, len(labels))
	}
	return m.generateFrom(z, labels)
}

func (m *Model) generateFrom(z *tensors.Tensor, labels []int) (*tensors.Tensor, error) {
	if z.Rank() != 2 || z.Shape().Dimensions[1] != m.Config.LatentDim {
		return nil, fmt.Errorf("noise z has shape %v, want [n, %d]", z.Shape().Dimensions, m.Config.LatentDim)
	}
	exec := blocks.NewInferenceExec(m.Backend, m.Store, func(scope *model.Scope, inputs []*Node) *Node {
		z, y := unpackBatch(inputs)
		return m.generate(scope, z, y)
	})
	defer exec.Finalize()
	return m.concatChunks(z.Shape().Dimensions[0], func(start, count int) (*tensors.Tensor, error) {
		return m.callOne(exec, withLabels(CopyExamples(z, start, count), labels, start, count)...)
	})
}

// Discriminate returns D(x) (σ of the logits; raw output for LSGAN) for examples x [n, ...].
func (m *Model) Discriminate(x *tensors.Tensor) ([]float64, error) {
	if m.Conditional() {
		return nil, errors.New("this discriminator is conditional: use DiscriminateLabeled")
	}
	return m.discriminateWith(x, nil)
}

// DiscriminateLabeled returns D(x|y) for examples x [n, ...] with labels y (one per example):
// the four cases of docs/equations.md §3 feed it real and generated images with right and wrong labels.
func (m *Model) DiscriminateLabeled(x *tensors.Tensor, labels []int) ([]float64, error) {
	if err := m.CheckLabels(labels); err != nil {
		return nil, err
	}
	if n := x.Shape().Dimensions[0]; n != len(labels) {
		return nil, fmt.Errorf("%d examples but %d labels", n, len(labels))
	}
	return m.discriminateWith(x, labels)
}

func (m *Model) discriminateWith(x *tensors.Tensor, labels []int) ([]float64, error) {
	if m.d == nil {
		return nil, errors.New("this model has no discriminator (a generator alone)")
	}
	if m.discriminate == nil {
		m.discriminate = blocks.NewInferenceExec(m.Backend, m.Store, func(scope *model.Scope, inputs []*Node) *Node {
			x, y := unpackBatch(inputs)
			l := m.logitsOf(scope, x, y)
			if m.Config.RawOutput() {
				return l
			}
			return Sigmoid(l)
		})
	}
	out, err := m.concatChunks(x.Shape().Dimensions[0], func(start, count int) (*tensors.Tensor, error) {
		return m.callOne(m.discriminate, withLabels(CopyExamples(x, start, count), labels, start, count)...)
	})
	if err != nil {
		return nil, err
	}
	vals := make([]float64, 0, out.Shape().Size())
	tensors.MustConstFlatData[float32](out, func(flat []float32) {
		for _, v := range flat {
			vals = append(vals, float64(v))
		}
	})
	return vals, nil
}

func (m *Model) callOne(exec *blocks.InferenceExec, args ...any) (out *tensors.Tensor, err error) {
	if e := exceptions.TryCatch[error](func() {
		var outs []*tensors.Tensor
		outs, err = exec.Call(args...)
		if err == nil {
			out = outs[0]
		}
	}); e != nil {
		return nil, e
	}
	return out, err
}
