package gan

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/gomlx/gomlx/support/exceptions"

	"github.com/ganlab/ganlab/blocks"
)

// Generator maps noise z [B, LatentDim] to examples [B, ...]. It is a GoMLX graph function: its
// variables live under scope.
type Generator func(scope *model.Scope, z *Node) *Node

// Discriminator maps examples [B, ...] to logits [B] or [B, 1]: D(x) = σ(logit) is the
// probability that x came from the data (for LeastSquares the raw output is used).
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

// Trainer runs adversarial training of a generator/discriminator pair (Goodfellow et al. 2014,
// Algorithm 1): for each generator step, K discriminator steps on m real and m generated
// examples ascending V (seed Eq. 16, implemented as descent on −V, the cross-entropy of
// Eq. 14), then one generator step on m fresh z (Eq. 17, or its non-saturating or
// least-squares variant). Each network has its own Adam optimizer and learning rate. Noise is
// drawn inside the graph from the Store's RNG, whose state is a variable: checkpoints capture it
// and a resumed run continues bit-exactly.
type Trainer struct {
	Config  Config
	Backend compute.Backend
	Store   *model.Store
	G       Generator
	D       Discriminator
	Data    DataSource

	// Conditional training (Mirza & Osindero 2014, seed Eq. 18): set by NewConditionalTrainer
	// instead of G and D. Real examples come with their labels (Data is a LabeledSource); each
	// generated example gets a label drawn uniformly from [0, Classes).
	CG      ConditionalGenerator
	CD      ConditionalDiscriminator
	Classes int
	History *History

	// Meta describes the model for the files it saves (e.g. the architecture of a configurable
	// model, so that a sampler can rebuild it); Load restores it.
	Meta map[string]string

	// EvalEvery > 0 calls OnEval after every EvalEvery generator steps; its metrics are recorded
	// in History.Evals.
	EvalEvery int
	OnEval    func(t *Trainer) (map[string]float64, error)

	step                int // generator steps done
	dExec, gExec, sExec *model.Exec
	sampler             *blocks.InferenceExec
	discriminate        *blocks.InferenceExec
}

// NewTrainer validates the configuration and prepares a fresh Store seeded from cfg.Seed.
func NewTrainer(backend compute.Backend, cfg Config, g Generator, d Discriminator, data DataSource) (*Trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if backend == nil || g == nil || d == nil || data == nil {
		return nil, errors.New("gan.NewTrainer: backend, generator, discriminator and data are all required")
	}
	return newTrainer(backend, cfg, g, d, data)
}

func newTrainer(backend compute.Backend, cfg Config, g Generator, d Discriminator, data DataSource) (*Trainer, error) {
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, int64(cfg.Seed))
	if err := store.SetRNGStateFromSeed(int64(cfg.Seed)); err != nil {
		return nil, err
	}
	t := &Trainer{Config: cfg, Backend: backend, Store: store, G: g, D: d, Data: data, History: &History{}}
	return t, nil
}

// NewGenerator prepares a Trainer that only samples: no discriminator, no data. Load a checkpoint
// or a generator file (Trainer.SaveGenerator) into it, then call Sample or Generate.
func NewGenerator(backend compute.Backend, cfg Config, g Generator) (*Trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if backend == nil || g == nil {
		return nil, errors.New("gan.NewGenerator: backend and generator are required")
	}
	store := model.NewStore()
	if err := store.SetRNGStateFromSeed(int64(cfg.Seed)); err != nil {
		return nil, err
	}
	return &Trainer{Config: cfg, Backend: backend, Store: store, G: g, History: &History{}}, nil
}

// NewConditionalTrainer prepares conditional adversarial training: min_G max_D
// E[log D(x|y)] + E[log(1 − D(G(z|y)|y))] (seed Eq. 18). data must yield labels in [0, classes).
func NewConditionalTrainer(backend compute.Backend, cfg Config, classes int, g ConditionalGenerator, d ConditionalDiscriminator, data LabeledSource) (*Trainer, error) {
	if backend == nil || g == nil || d == nil || data == nil {
		return nil, errors.New("gan.NewConditionalTrainer: backend, generator, discriminator and data are all required")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if classes < 2 {
		return nil, fmt.Errorf("invalid configuration: classes = %d, want ≥ 2", classes)
	}
	if n := data.NumClasses(); n != classes {
		return nil, fmt.Errorf("the data has %d classes, the model %d", n, classes)
	}
	t, err := newTrainer(backend, cfg, nil, nil, data)
	if err != nil {
		return nil, err
	}
	t.CG, t.CD, t.Classes = g, d, classes
	return t, nil
}

// NewConditionalGenerator prepares a Trainer that only samples from a conditional generator
// (SampleLabeled, GenerateLabeled); load a checkpoint or generator file into it.
func NewConditionalGenerator(backend compute.Backend, cfg Config, classes int, g ConditionalGenerator) (*Trainer, error) {
	if g == nil {
		return nil, errors.New("gan.NewConditionalGenerator: a generator is required")
	}
	if classes < 2 {
		return nil, fmt.Errorf("invalid configuration: classes = %d, want ≥ 2", classes)
	}
	t, err := NewGenerator(backend, cfg, func(*model.Scope, *Node) *Node { panic("conditional generator called without labels") })
	if err != nil {
		return nil, err
	}
	t.G, t.CG, t.Classes = nil, g, classes
	return t, nil
}

// HasDiscriminator reports whether the Store holds trained discriminator variables (a
// generator-only file does not): without them D would be freshly initialised, not trained.
func (t *Trainer) HasDiscriminator() bool {
	if t.D == nil && t.CD == nil {
		return false
	}
	prefix := "/" + DiscScope + "/"
	for v := range t.Store.IterVariables() {
		if strings.HasPrefix(v.Path(), prefix) && v.HasValue() {
			return true
		}
	}
	return false
}

// Conditional reports whether the models take class labels.
func (t *Trainer) Conditional() bool { return t.CG != nil }

// CheckLabels returns an error naming the first label outside [0, Classes).
func (t *Trainer) CheckLabels(labels []int) error {
	if !t.Conditional() {
		return errors.New("this generator is not conditional: it takes no labels")
	}
	for i, l := range labels {
		if l < 0 || l >= t.Classes {
			return fmt.Errorf("label %d (at position %d) is outside [0, %d)", l, i, t.Classes)
		}
	}
	return nil
}

// generate runs G (or G(·|y)) in the generator's scope.
func (t *Trainer) generate(scope *model.Scope, z, y *Node) *Node {
	if t.CG != nil {
		return t.CG(scope.At(GenScope), z, y)
	}
	return t.G(scope.At(GenScope), z)
}

// fakeLabels draws the labels given to generated examples, uniform over the classes (nil for
// an unconditional GAN).
func (t *Trainer) fakeLabels(scope *model.Scope, g *Graph, m int) *Node {
	if t.CG == nil {
		return nil
	}
	return scope.RandomIntN(g, int32(t.Classes), shapes.Make(dtypes.Int32, m))
}

// Step is the number of generator steps done.
func (t *Trainer) Step() int { return t.step }

func (t *Trainer) latent(scope *model.Scope, g *Graph, m int) *Node {
	shape := shapes.Make(dtypes.Float32, m, t.Config.LatentDim)
	if t.Config.LatentUniform {
		return AddScalar(MulScalar(scope.RandomUniform(g, shape), 2), -1)
	}
	return scope.RandomNormal(g, shape)
}

// logitsOf runs the discriminator in its own fresh scope copy (so that it can be called on real
// and on generated examples in one graph) and flattens its output to [B]. y (labels) is nil
// for an unconditional GAN.
func (t *Trainer) logitsOf(scope *model.Scope, x, y *Node) *Node {
	var l *Node
	if t.CD != nil {
		l = t.CD(scope.At(DiscScope), x, y)
	} else {
		l = t.D(scope.At(DiscScope), x)
	}
	return Reshape(l, l.Shape().Dimensions[0])
}

// wrongLabels draws, for each real label, a different label uniformly (y′ ≠ y).
func (t *Trainer) wrongLabels(scope *model.Scope, y *Node) *Node {
	shift := AddScalar(scope.RandomIntN(y.Graph(), int32(t.Classes-1), y.Shape()), 1)
	return ModScalar(Add(y, shift), t.Classes)
}

// conditionalDiscriminatorLoss is discriminatorLoss, made matching-aware when configured: the
// real examples with wrong labels count as fakes, weighted ½ with the generated ones (Reed et
// al. 2016).
func (t *Trainer) conditionalDiscriminatorLoss(scope *model.Scope, real, yReal, lReal, lFake *Node) *Node {
	if yReal == nil || !t.Config.MatchingAware {
		return t.discriminatorLoss(lReal, lFake)
	}
	lWrong := t.logitsOf(scope, real, t.wrongLabels(scope, yReal))
	if t.Config.Loss == LeastSquares {
		return MulScalar(Add(ReduceAllMean(Square(AddScalar(lReal, -1))), MulScalar(Add(ReduceAllMean(Square(lFake)), ReduceAllMean(Square(lWrong))), 0.5)), 0.5)
	}
	return Add(ReduceAllMean(Softplus(Neg(lReal))), MulScalar(Add(ReduceAllMean(Softplus(lFake)), ReduceAllMean(Softplus(lWrong))), 0.5))
}

// discriminatorLoss is −V̂(D, G) (cross-entropy, Eq. 14) or the LSGAN discriminator loss.
func (t *Trainer) discriminatorLoss(lReal, lFake *Node) *Node {
	if t.Config.Loss == LeastSquares {
		return MulScalar(Add(ReduceAllMean(Square(AddScalar(lReal, -1))), ReduceAllMean(Square(lFake))), 0.5)
	}
	return Add(ReduceAllMean(Softplus(Neg(lReal))), ReduceAllMean(Softplus(lFake)))
}

// generatorLoss is Eq. 17 (minimax), its non-saturating form, or LSGAN's.
func (t *Trainer) generatorLoss(lFake *Node) *Node {
	switch t.Config.Loss {
	case Minimax: // log(1 − σ(l)) = −softplus(l)
		return Neg(ReduceAllMean(Softplus(lFake)))
	case LeastSquares:
		return MulScalar(ReduceAllMean(Square(AddScalar(lFake, -1))), 0.5)
	}
	return ReduceAllMean(Softplus(Neg(lFake))) // −log σ(l)
}

// meanD is the mean discriminator output: σ(logit), or the raw output for LSGAN.
func (t *Trainer) meanD(l *Node) *Node {
	if t.Config.Loss == LeastSquares {
		return ReduceAllMean(l)
	}
	return ReduceAllMean(Sigmoid(l))
}

func (t *Trainer) optimizer(gen bool) optimizer.Interface {
	c := t.Config
	if gen {
		return optimizer.Adam().LearningRate(c.LearningRateG).Betas(c.Beta1, c.Beta2).Scope(genAdamScope).Done()
	}
	return optimizer.Adam().LearningRate(c.LearningRateD).Betas(c.Beta1, c.Beta2).Scope(discAdamScope).Done()
}

// ApplyGradients computes the gradients of loss for the trainable variables under scope, applies
// the optimizer and returns the global gradient norm. The norm sums the variables in path order,
// so that it does not depend on the order in which variables were created (a resumed run creates
// them in another order and must still reproduce the straight run bit for bit).
func ApplyGradients(scope *model.Scope, opt optimizer.Interface, loss *Node) *Node {
	grads := scope.BuildTrainableVariablesGradientsGraph(loss)
	withGrads, ok := opt.(interface {
		UpdateGraphWithGradients(scope *model.Scope, grads []*Node, lossDType dtypes.DType)
	})
	if !ok {
		exceptions.Panicf("optimizer %T cannot take precomputed gradients", opt)
	}
	withGrads.UpdateGraphWithGradients(scope, grads, loss.DType())
	g := loss.Graph()
	var paths []string
	for v := range scope.IterVariables() { // the order BuildTrainableVariablesGradientsGraph used
		if v.Trainable && v.InUseByGraph(g) {
			paths = append(paths, v.Path())
		}
	}
	order := make([]int, len(grads))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return paths[order[a]] < paths[order[b]] })
	var sq *Node
	for _, i := range order {
		s := ReduceAllSum(Square(grads[i]))
		if sq == nil {
			sq = s
		} else {
			sq = Add(sq, s)
		}
	}
	return Sqrt(sq)
}

func (t *Trainer) buildExecs() error {
	if t.dExec != nil || t.sExec != nil {
		return nil
	}
	optD, optG := t.optimizer(false), t.optimizer(true)
	m := t.Config.BatchSize
	var err error
	if t.Config.Simultaneous {
		// The TF DCGAN tutorial's train_step: both gradients from one forward pass.
		t.sExec, err = model.NewExec(t.Backend, t.Store, func(scope *model.Scope, inputs []*Node) []*Node {
			real, yReal := unpackBatch(inputs)
			g := real.Graph()
			scope.SetTraining(g, true)
			yFake := t.fakeLabels(scope, g, m)
			fake := t.generate(scope, t.latent(scope, g, m), yFake)
			lReal, lFake := t.logitsOf(scope, real, yReal), t.logitsOf(scope, fake, yFake)
			lossD, lossG := t.conditionalDiscriminatorLoss(scope, real, yReal, lReal, lFake), t.generatorLoss(lFake)
			normD := ApplyGradients(scope.At(DiscScope), optD, lossD)
			normG := ApplyGradients(scope.At(GenScope), optG, lossG)
			return []*Node{lossD, lossG, t.meanD(lReal), t.meanD(lFake), normD, normG}
		})
		return err
	}
	// Algorithm 1, discriminator update: G's samples are constants here (StopGradient).
	t.dExec, err = model.NewExec(t.Backend, t.Store, func(scope *model.Scope, inputs []*Node) []*Node {
		real, yReal := unpackBatch(inputs)
		g := real.Graph()
		scope.SetTraining(g, true)
		yFake := t.fakeLabels(scope, g, m)
		fake := StopGradient(t.generate(scope, t.latent(scope, g, m), yFake))
		lReal, lFake := t.logitsOf(scope, real, yReal), t.logitsOf(scope, fake, yFake)
		lossD := t.conditionalDiscriminatorLoss(scope, real, yReal, lReal, lFake)
		norm := ApplyGradients(scope.At(DiscScope), optD, lossD)
		return []*Node{lossD, t.meanD(lReal), t.meanD(lFake), norm}
	})
	if err != nil {
		return err
	}
	// Generator update on fresh noise; only the generator's variables move.
	t.gExec, err = model.NewExec(t.Backend, t.Store, func(scope *model.Scope, g *Graph) []*Node {
		scope.SetTraining(g, true)
		yFake := t.fakeLabels(scope, g, m)
		lFake := t.logitsOf(scope, t.generate(scope, t.latent(scope, g, m), yFake), yFake)
		lossG := t.generatorLoss(lFake)
		norm := ApplyGradients(scope.At(GenScope), optG, lossG)
		return []*Node{lossG, t.meanD(lFake), norm}
	})
	return err
}

// unpackBatch splits the training graphs' inputs: the real batch, and its labels when the GAN
// is conditional (nil otherwise).
func unpackBatch(inputs []*Node) (x, y *Node) {
	if len(inputs) > 1 {
		return inputs[0], inputs[1]
	}
	return inputs[0], nil
}

func scalar(t *tensors.Tensor) float64 {
	switch t.DType() {
	case dtypes.Float64:
		return tensors.ToScalar[float64](t)
	}
	return float64(tensors.ToScalar[float32](t))
}

// TrainStep runs one generator step (with its K discriminator steps) and records it in History.
// A non-finite loss is a *DivergenceError (the Store then holds the diverged weights: reload
// the last checkpoint to continue).
func (t *Trainer) TrainStep() (rec StepRecord, err error) {
	if (t.D == nil && t.CD == nil) || t.Data == nil {
		return rec, errors.New("this Trainer only samples (gan.NewGenerator): it has no discriminator or data")
	}
	if err := exceptions.TryCatch[error](func() { err = t.buildExecs() }); err != nil {
		return rec, fmt.Errorf("building the training graphs: %w", err)
	}
	if err != nil {
		return rec, fmt.Errorf("building the training graphs: %w", err)
	}
	start := time.Now()
	rec.Step = t.step + 1
	call := func(exec *model.Exec, inputs ...*tensors.Tensor) ([]float64, error) {
		args := make([]any, len(inputs))
		for i, in := range inputs {
			args[i] = in
		}
		out, err := exec.Exec(args...)
		if err != nil {
			return nil, err
		}
		vals := make([]float64, len(out))
		for i, o := range out {
			vals[i] = scalar(o)
			o.FinalizeAll()
		}
		return vals, nil
	}
	// nextReal returns the graphs' inputs: the real batch, and its labels when conditional.
	nextReal := func() ([]*tensors.Tensor, error) {
		var real, labels *tensors.Tensor
		var err error
		if t.Conditional() {
			real, labels, err = t.Data.(LabeledSource).NextLabeled(t.Config.BatchSize)
		} else {
			real, err = t.Data.Next(t.Config.BatchSize)
		}
		if err != nil {
			return nil, err
		}
		if err := checkFinite(real, fmt.Sprintf("real batch at step %d", rec.Step)); err != nil {
			return nil, err
		}
		if labels != nil {
			return []*tensors.Tensor{real, labels}, nil
		}
		return []*tensors.Tensor{real}, nil
	}
	if t.Config.Simultaneous {
		real, err := nextReal()
		if err != nil {
			return rec, err
		}
		v, err := call(t.sExec, real...)
		if err != nil {
			return rec, err
		}
		rec.LossD, rec.LossG, rec.DReal, rec.DFake, rec.GradNormD, rec.GradNormG = v[0], v[1], v[2], v[3], v[4], v[5]
	} else {
		for range t.Config.K {
			real, err := nextReal()
			if err != nil {
				return rec, err
			}
			v, err := call(t.dExec, real...)
			if err != nil {
				return rec, err
			}
			rec.LossD, rec.DReal, rec.DFake, rec.GradNormD = v[0], v[1], v[2], v[3]
		}
		v, err := call(t.gExec)
		if err != nil {
			return rec, err
		}
		rec.LossG, rec.DFakeAfter, rec.GradNormG = v[0], v[1], v[2]
	}
	rec.Seconds = time.Since(start).Seconds()
	for name, v := range map[string]float64{"discriminator loss": rec.LossD, "generator loss": rec.LossG} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return rec, &DivergenceError{Step: rec.Step, What: name, Value: v}
		}
	}
	t.step++
	t.History.Steps = append(t.History.Steps, rec)
	if t.EvalEvery > 0 && t.OnEval != nil && t.step%t.EvalEvery == 0 {
		metrics, err := t.OnEval(t)
		if err != nil {
			return rec, fmt.Errorf("evaluation at step %d: %w", t.step, err)
		}
		t.History.Evals = append(t.History.Evals, EvalRecord{Step: t.step, Metrics: metrics})
	}
	return rec, nil
}

// DivergenceError reports a NaN or Inf loss.
type DivergenceError struct {
	Step           int
	What           string
	Value          float64
	LastCheckpoint string // set by Train when a checkpoint exists
}

func (e *DivergenceError) Error() string {
	msg := fmt.Sprintf("training diverged at step %d: %s is %v", e.Step, e.What, e.Value)
	if e.LastCheckpoint != "" {
		msg += "; last good checkpoint: " + e.LastCheckpoint
	} else {
		msg += "; no checkpoint was saved"
	}
	return msg + " (try a lower learning rate)"
}

// Sample draws n examples from the generator in inference mode (fresh noise from the Store's
// RNG, which advances). It always uses the current weights. A conditional generator needs
// SampleLabeled.
func (t *Trainer) Sample(n int) (*tensors.Tensor, error) {
	if t.Conditional() {
		return nil, errors.New("this generator is conditional: use SampleLabeled")
	}
	return t.sample(n, nil)
}

// SampleLabeled draws one example of each requested class label (conditional generators):
// G(z|y) with fresh noise z. A label outside [0, Classes) is an error.
func (t *Trainer) SampleLabeled(labels []int) (*tensors.Tensor, error) {
	if err := t.CheckLabels(labels); err != nil {
		return nil, err
	}
	return t.sample(len(labels), labels)
}

func (t *Trainer) sample(n int, labels []int) (*tensors.Tensor, error) {
	if n <= 0 {
		return nil, fmt.Errorf("sample count must be > 0, got %d", n)
	}
	if t.sampler == nil {
		t.sampler = blocks.NewInferenceExec(t.Backend, t.Store, func(scope *model.Scope, inputs []*Node) *Node {
			nT, y := unpackBatch(inputs)
			return t.generate(scope, t.latent(scope, nT.Graph(), nT.Shape().Dimensions[0]), y)
		})
	}
	// In chunks: a convolutional generator's patch matrices grow with the batch (10 000 MNIST
	// samples at once would need tens of GB).
	return concatChunks(n, func(start, m int) (*tensors.Tensor, error) {
		return t.callOne(t.sampler, withLabels(tensors.FromShape(shapes.Make(dtypes.Float32, m)), labels, start, m)...)
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
// concatenates the results along the first axis.
func concatChunks(n int, part func(start, m int) (*tensors.Tensor, error)) (*tensors.Tensor, error) {
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
	}
	dims = append([]int{n}, dims[1:]...)
	return tensors.FromFlatDataAndDimensions(flat, dims...), nil
}

// Rows copies examples [start, start+m) of a float32 tensor along its first axis. Always a
// copy: the caller's tensor may live on another backend instance (one generator's samples fed to
// another's discriminator), which a graph call refuses.
func Rows(x *tensors.Tensor, start, m int) *tensors.Tensor {
	dims := x.Shape().Dimensions
	size := x.Shape().Size() / dims[0]
	var part []float32
	tensors.MustConstFlatData[float32](x, func(f []float32) { part = append([]float32(nil), f[start*size:(start+m)*size]...) })
	return tensors.FromFlatDataAndDimensions(part, append([]int{m}, dims[1:]...)...)
}

// Generate runs the generator on given noise z [n, LatentDim] (fixed-noise grids, interpolation).
func (t *Trainer) Generate(z *tensors.Tensor) (*tensors.Tensor, error) {
	if t.Conditional() {
		return nil, errors.New("this generator is conditional: use GenerateLabeled")
	}
	return t.generateFrom(z, nil)
}

// GenerateLabeled runs a conditional generator on given noise z [n, LatentDim] and labels
// (n of them, each in [0, Classes)): class grids keep z fixed along a column while the label
// changes.
func (t *Trainer) GenerateLabeled(z *tensors.Tensor, labels []int) (*tensors.Tensor, error) {
	if err := t.CheckLabels(labels); err != nil {
		return nil, err
	}
	if n := z.Shape().Dimensions[0]; n != len(labels) {
		return nil, fmt.Errorf("%d noise vectors but %d labels", n, len(labels))
	}
	return t.generateFrom(z, labels)
}

func (t *Trainer) generateFrom(z *tensors.Tensor, labels []int) (*tensors.Tensor, error) {
	if z.Rank() != 2 || z.Shape().Dimensions[1] != t.Config.LatentDim {
		return nil, fmt.Errorf("noise z has shape %v, want [n, %d]", z.Shape().Dimensions, t.Config.LatentDim)
	}
	exec := blocks.NewInferenceExec(t.Backend, t.Store, func(scope *model.Scope, inputs []*Node) *Node {
		z, y := unpackBatch(inputs)
		return t.generate(scope, z, y)
	})
	defer exec.Finalize()
	return concatChunks(z.Shape().Dimensions[0], func(start, m int) (*tensors.Tensor, error) {
		return t.callOne(exec, withLabels(Rows(z, start, m), labels, start, m)...)
	})
}

// Discriminate returns D(x) (σ of the logits; raw output for LSGAN) for examples x [n, ...].
func (t *Trainer) Discriminate(x *tensors.Tensor) ([]float64, error) {
	if t.Conditional() {
		return nil, errors.New("this discriminator is conditional: use DiscriminateLabeled")
	}
	return t.discriminateWith(x, nil)
}

// DiscriminateLabeled returns D(x|y) for examples x [n, ...] with labels y (one per example):
// the seed's four cases feed it real and generated images with right and wrong labels.
func (t *Trainer) DiscriminateLabeled(x *tensors.Tensor, labels []int) ([]float64, error) {
	if err := t.CheckLabels(labels); err != nil {
		return nil, err
	}
	if n := x.Shape().Dimensions[0]; n != len(labels) {
		return nil, fmt.Errorf("%d examples but %d labels", n, len(labels))
	}
	return t.discriminateWith(x, labels)
}

func (t *Trainer) discriminateWith(x *tensors.Tensor, labels []int) ([]float64, error) {
	if t.D == nil && t.CD == nil {
		return nil, errors.New("this Trainer only samples (it has no discriminator)")
	}
	if t.discriminate == nil {
		t.discriminate = blocks.NewInferenceExec(t.Backend, t.Store, func(scope *model.Scope, inputs []*Node) *Node {
			x, y := unpackBatch(inputs)
			l := t.logitsOf(scope, x, y)
			if t.Config.Loss == LeastSquares {
				return l
			}
			return Sigmoid(l)
		})
	}
	out, err := concatChunks(x.Shape().Dimensions[0], func(start, m int) (*tensors.Tensor, error) {
		return t.callOne(t.discriminate, withLabels(Rows(x, start, m), labels, start, m)...)
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

func (t *Trainer) callOne(exec *blocks.InferenceExec, args ...any) (out *tensors.Tensor, err error) {
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

// Train runs until Step() reaches steps, or ctx is cancelled (then it returns ctx.Err() after
// the current step). onStep, if set, is called after every step (progress bars, checkpoints).
func (t *Trainer) Train(ctx context.Context, steps int, onStep func(rec StepRecord) error) error {
	for t.step < steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := t.TrainStep()
		if err != nil {
			return err
		}
		if onStep != nil {
			if err := onStep(rec); err != nil {
				return err
			}
		}
	}
	return nil
}
