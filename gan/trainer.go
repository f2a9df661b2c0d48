package gan

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/gomlx/gomlx/support/exceptions"
)

// Trainer runs adversarial training of a Model (Goodfellow et al. 2014, Algorithm 1): for each
// generator step, K discriminator steps on m real and m generated examples ascending V
// (Eq. 16, docs/equations.md, as descent on DiscriminatorLoss, the cross-entropy of Eq. 15), then one generator step
// on m fresh z (Eq. 17, MinimaxGeneratorLoss, or its non-saturating or least-squares variant).
// Each network has its own Adam optimizer and learning rate. Noise is drawn inside the graph from
// the Store's RNG, whose state is a variable: checkpoints capture it and a resumed run continues
// bit-exactly. A conditional Model trains the same way with the labels of its data (Eq. 18).
//
// The Model's fields and methods (Store, Config, Step, Sample, Generate, Discriminate, …) are
// the Trainer's too.
type Trainer struct {
	*Model
	Data DataSource

	// EvalEvery > 0 calls OnEval after every EvalEvery generator steps; its metrics are recorded
	// in History.Evals.
	EvalEvery int
	OnEval    func(t *Trainer) (map[string]float64, error)

	dExec, gExec, sExec *model.Exec
}

// NewTrainer builds an unconditional Model (NewModel) and its Trainer on data.
func NewTrainer(backend compute.Backend, cfg Config, g Generator, d Discriminator, data DataSource) (*Trainer, error) {
	if d == nil {
		return nil, errors.New("gan.NewTrainer: a discriminator is required")
	}
	m, err := NewModel(backend, cfg, g, d)
	if err != nil {
		return nil, err
	}
	return NewTrainerOf(m, data)
}

// NewConditionalTrainer builds a conditional Model (NewConditionalModel) and its Trainer:
// min_G max_D E[log D(x|y)] + E[log(1 − D(G(z|y)|y))] (Eq. 18, docs/equations.md). data must yield labels in
// [0, classes).
func NewConditionalTrainer(backend compute.Backend, cfg Config, classes int, g ConditionalGenerator, d ConditionalDiscriminator, data LabeledSource) (*Trainer, error) {
	if d == nil || data == nil {
		return nil, errors.New("gan.NewConditionalTrainer: a discriminator and data are required")
	}
	m, err := NewConditionalModel(backend, cfg, classes, g, d)
	if err != nil {
		return nil, err
	}
	return NewTrainerOf(m, data)
}

// NewTrainerOf wraps a model with a discriminator for training on data; a conditional model
// needs a LabeledSource with as many classes.
func NewTrainerOf(m *Model, data DataSource) (*Trainer, error) {
	if m == nil || m.d == nil || data == nil {
		return nil, errors.New("gan.NewTrainerOf: a model with a discriminator, and data, are required")
	}
	if m.Conditional() {
		labeled, ok := data.(LabeledSource)
		if !ok {
			return nil, errors.New("a conditional model needs labelled data (a LabeledSource)")
		}
		if n := labeled.NumClasses(); n != m.Classes {
			return nil, fmt.Errorf("the data has %d classes, the model %d", n, m.Classes)
		}
	}
	return &Trainer{Model: m, Data: data}, nil
}

// wrongLabels draws, for each real label, a different label uniformly (y′ ≠ y).
func (t *Trainer) wrongLabels(scope *model.Scope, y *Node) *Node {
	shift := AddScalar(scope.RandomIntN(y.Graph(), int32(t.Classes-1), y.Shape()), 1)
	return ModScalar(Add(y, shift), t.Classes)
}

// discriminatorLoss is the configured discriminator loss on the logits of real and generated
// examples: DiscriminatorLoss (Eq. 15, the descent form of Eq. 16), LSGAN's or the hinge loss. A matching-aware
// conditional D (Config.MatchingAware) also sees the real examples with wrong labels as fakes.
func (t *Trainer) discriminatorLoss(scope *model.Scope, real, yReal, lReal, lFake *Node) *Node {
	var lWrong *Node
	if yReal != nil && t.Config.MatchingAware {
		lWrong = t.logitsOf(scope, real, t.wrongLabels(scope, yReal))
	}
	switch {
	case t.Config.Loss == LeastSquares:
		return LeastSquaresDiscriminatorLoss(lReal, lFake, lWrong)
	case t.Config.Loss == Hinge:
		return HingeDiscriminatorLoss(lReal, lFake, lWrong)
	case lWrong != nil:
		return MatchingAwareDiscriminatorLoss(lReal, lFake, lWrong)
	}
	return DiscriminatorLoss(lReal, lFake)
}

// generatorLoss is the configured generator loss: Eq. 17, its non-saturating form, LSGAN's or
// the hinge game's.
func (t *Trainer) generatorLoss(lFake *Node) *Node {
	switch t.Config.Loss {
	case Minimax:
		return MinimaxGeneratorLoss(lFake)
	case LeastSquares:
		return LeastSquaresGeneratorLoss(lFake)
	case Hinge:
		return HingeGeneratorLoss(lFake)
	}
	return NonSaturatingGeneratorLoss(lFake)
}

// meanD is the mean discriminator output: σ(logit), or the raw output for LSGAN and the hinge
// loss.
func (t *Trainer) meanD(l *Node) *Node {
	if t.Config.RawOutput() {
		return ReduceAllMean(l)
	}
	return ReduceAllMean(Sigmoid(l))
}

// StepMemory estimates the bytes a training step needs for its batch's activations and
// gradients: measured ≈ 1100 bytes per input float for the DCGAN step (1500 allowed); at least
// 64 KB an example for the small MLPs.
func (t *Trainer) StepMemory() float64 {
	exampleLen := 1
	if images, ok := t.Data.(*Images); ok {
		exampleLen = images.Set.ImageSize()
	}
	return float64(t.Config.BatchSize) * max(float64(exampleLen)*4*1500, 65536)
}

func (t *Trainer) optimizer(gen bool) optimizer.Interface {
	c := t.Config
	rate, adamScope := c.LearningRateD, discAdamScope
	if gen {
		rate, adamScope = c.LearningRateG, genAdamScope
	}
	if c.Optimizer == GradientSteps {
		return gradientSteps{rate: rate}
	}
	return optimizer.Adam().LearningRate(rate).Betas(c.Beta1, c.Beta2).Scope(adamScope).Done()
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
			real, fake = t.withInstanceNoise(scope, real), t.withInstanceNoise(scope, fake)
			lReal, lFake := t.logitsOf(scope, real, yReal), t.logitsOf(scope, fake, yFake)
			// θ_d descends −(1/m) Σ [log D(x) + log(1 − D(G(z)))] (Eq. 16 as descent), and at the
			// same time θ_g descends its loss on the same D(G(z)) (Eq. 17 or its variants).
			lossD := t.discriminatorLoss(scope, real, yReal, lReal, lFake)
			lossG := t.generatorLoss(lFake)
			normD := ApplyGradients(scope.At(DiscScope), optD, lossD)
			normG := ApplyGradients(scope.At(GenScope), optG, lossG)
			if t.Config.EMADecay > 0 {
				t.updateMovingAverage(scope, g)
			}
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
		real, fake = t.withInstanceNoise(scope, real), t.withInstanceNoise(scope, fake)
		lReal, lFake := t.logitsOf(scope, real, yReal), t.logitsOf(scope, fake, yFake)
		// Eq. 16: θ_d ← θ_d + α ∇ (1/m) Σ [log D(x) + log(1 − D(G(z)))], as descent on its negative.
		lossD := t.discriminatorLoss(scope, real, yReal, lReal, lFake)
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
		lFake := t.logitsOf(scope, t.withInstanceNoise(scope, t.generate(scope, t.latent(scope, g, m), yFake)), yFake)
		// Eq. 17: θ_g ← θ_g − α ∇ (1/m) Σ log(1 − D(G(z))) (or the configured variant).
		lossG := t.generatorLoss(lFake)
		norm := ApplyGradients(scope.At(GenScope), optG, lossG)
		if t.Config.EMADecay > 0 {
			t.updateMovingAverage(scope, g)
		}
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
	if err := exceptions.TryCatch[error](func() { err = t.buildExecs() }); err != nil {
		return rec, fmt.Errorf("building the training graphs: %w", err)
	}
	if err != nil {
		return rec, fmt.Errorf("building the training graphs: %w", err)
	}
	start := time.Now()
	rec.Step = t.step + 1
	if err := t.setInstanceNoise(rec.Step); err != nil {
		return rec, err
	}
	if c := t.Config; c.LRDecayFrom > 0 && rec.Step >= c.LRDecayFrom {
		scale := c.RateScale(rec.Step)
		if err := t.setRateVariables(scale*c.LearningRateD, scale*c.LearningRateG); err != nil {
			return rec, err
		}
	}
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

// TrainOneStep is TrainStep for Run (Trainable): its summary is the step's losses and D's outputs.
func (t *Trainer) TrainOneStep() (string, error) {
	rec, err := t.TrainStep()
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("loss_D %.3f loss_G %.3f D(x) %.2f D(G(z)) %.2f", rec.LossD, rec.LossG, rec.DReal, rec.DFake), nil
}

// Train runs until Step() reaches steps, or ctx is cancelled (then it returns ctx.Err() after
// the current step), without checkpoints: Run is the loop that saves, resumes and survives
// interruptions. onStep, if set, is called after every step.
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
