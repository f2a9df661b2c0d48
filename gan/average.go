package gan

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/gomlx/gomlx/support/exceptions"

	"github.com/ganlab/ganlab/internal/storeio"
)

// MetaAveragedSteps is the Meta key under which LoadAverage records the steps it averaged.
const MetaAveragedSteps = "gan.averaged_steps"

// LoadAverage loads the generator whose weights are the mean of the generator's trainable
// weights in several checkpoints of one run: averaging the iterates (Polyak & Juditsky 1992),
// which Yazıcı et al. (2019, "The Unusual Effectiveness of Averaging in GAN Training") found to
// remove much of the step-to-step oscillation of adversarial training and to raise sample
// quality at no training cost,
//
//	θ̄_G = (1/n) Σ_i θ_G(t_i).
//
// The newest file (the largest step) gives everything else: step, history, configuration, the
// discriminator and optimizer state. The batch-norm statistics of the checkpoints belong to
// their own weights, not to θ̄_G, so they are recomputed for the average: RecalibrateBatchNorm
// with calibrationBatches batches (0 skips it; a generator without batch norm needs none).
// Meta[MetaAveragedSteps] lists the averaged steps. The files are read by ReadCheckpoint (which
// checks their model); files whose generator variables differ in name or shape are an error
// naming the file.
func (m *Model) LoadAverage(files []*Checkpoint, calibrationBatches int) error {
	if len(files) == 0 {
		return errors.New("LoadAverage: no checkpoint files")
	}
	newest := 0
	for i, f := range files {
		if f.ck.Step > files[newest].ck.Step {
			newest = i
		}
	}
	if err := m.Restore(files[newest]); err != nil {
		return err
	}
	// Sum the generator's trainable float32 weights in float64, file by file.
	isAveraged := func(v storeio.Variable) bool {
		return v.Trainable && v.DType == dtypes.Float32.String() && strings.HasPrefix(v.Path, "/"+GenScope+"/")
	}
	sums := map[string][]float64{}
	dims := map[string][]int{}
	for _, v := range files[newest].ck.Variables {
		if isAveraged(v) {
			sums[v.Path] = make([]float64, len(v.Data)/4)
			dims[v.Path] = v.Dims
		}
	}
	if len(sums) == 0 {
		return fmt.Errorf("checkpoint %s has no trainable generator weights to average", files[newest].Path)
	}
	steps := make([]string, len(files))
	for i, f := range files {
		steps[i] = strconv.Itoa(f.ck.Step)
		seen := 0
		for _, v := range f.ck.Variables {
			if !isAveraged(v) {
				continue
			}
			sum, ok := sums[v.Path]
			if !ok || !slices.Equal(v.Dims, dims[v.Path]) || len(v.Data) != 4*len(sum) {
				return fmt.Errorf("checkpoint %s does not fit the others: generator variable %s %v", f.Path, v.Path, v.Dims)
			}
			for j := range sum {
				sum[j] += float64(math.Float32frombits(binary.NativeEndian.Uint32(v.Data[4*j:])))
			}
			seen++
		}
		if seen != len(sums) {
			return fmt.Errorf("checkpoint %s has %d generator weights, %s has %d", f.Path, seen, files[newest].Path, len(sums))
		}
	}
	for path, sum := range sums {
		mean := make([]float32, len(sum))
		for j, s := range sum {
			mean[j] = float32(s / float64(len(files)))
		}
		v := m.Store.GetVariable(path)
		if v == nil {
			return fmt.Errorf("checkpoint %s: variable %s is not in this model", files[newest].Path, path)
		}
		if err := v.SetValue(tensors.FromFlatDataAndDimensions(mean, dims[path]...)); err != nil {
			return fmt.Errorf("setting the averaged %s: %w", path, err)
		}
	}
	if m.Meta == nil {
		m.Meta = map[string]string{}
	}
	m.Meta[MetaAveragedSteps] = strings.Join(steps, ",")
	if calibrationBatches > 0 {
		return m.RecalibrateBatchNorm(calibrationBatches)
	}
	return nil
}

// RecalibrateBatchNorm runs the generator in training mode on `batches` batches of fresh noise
// (SampleChunk examples each), updating nothing but the batch-norm moving statistics, so that
// inference-mode sampling normalizes with statistics of the current weights. Needed after the
// weights changed without training steps (LoadAverage). Each batch moves the statistics by the
// layer's own momentum, so the old ones fade geometrically: with the DCGAN models' momentum 0.9,
// 100 batches leave 0.9¹⁰⁰ ≈ 3·10⁻⁵ of them, and the result averages the last ≈ 10 batches
// (≈ 2500 samples).
func (m *Model) RecalibrateBatchNorm(batches int) (err error) {
	if batches <= 0 {
		return fmt.Errorf("RecalibrateBatchNorm: batches must be > 0, got %d", batches)
	}
	var exec *model.Exec
	if e := exceptions.TryCatch[error](func() {
		exec, err = model.NewExec(m.Backend, m.Store, func(scope *model.Scope, n *Node) *Node {
			g := n.Graph()
			scope.SetTraining(g, true)
			count := n.Shape().Dimensions[0]
			out := m.generate(scope, m.latent(scope, g, count), m.fakeLabels(scope, g, count))
			return ReduceAllMean(out) // the moving statistics are the point; the output is a token
		})
	}); e != nil {
		return fmt.Errorf("building the recalibration graph: %w", e)
	}
	if err != nil {
		return fmt.Errorf("building the recalibration graph: %w", err)
	}
	defer exec.Finalize()
	token := tensors.FromShape(shapes.Make(dtypes.Float32, SampleChunk))
	for batch := range batches {
		if m.Progress != nil {
			m.Progress(batch, batches)
		}
		var outs []*tensors.Tensor
		if e := exceptions.TryCatch[error](func() { outs, err = exec.Exec(token) }); e != nil {
			return e
		}
		if err != nil {
			return err
		}
		for _, o := range outs {
			o.FinalizeAll()
		}
	}
	return nil
}

// SetLearningRates changes both optimizers' learning rates from the next step on: a step-wise
// decay, decided between runs (resume a run, lower the rates, continue). Adam keeps its moments.
// The rates live in the Store (each optimizer's "learning_rate" variable, restored by Load), so
// setting Config alone would not change a resumed run; this sets both, and checkpoints record
// the new values.
func (t *Trainer) SetLearningRates(lrD, lrG float64) error {
	for _, lr := range []float64{lrD, lrG} {
		if !(lr > 0) || math.IsInf(lr, 0) {
			return fmt.Errorf("learning rate %g: want > 0", lr)
		}
	}
	if err := t.setRateVariables(lrD, lrG); err != nil {
		return err
	}
	t.Config.LearningRateD, t.Config.LearningRateG = lrD, lrG
	return nil
}

// setRateVariables writes the rates the optimizers read at the next step, leaving Config.
func (t *Trainer) setRateVariables(lrD, lrG float64) error {
	for _, s := range []struct {
		scope string
		lr    float64
	}{{DiscScope, lrD}, {GenScope, lrG}} {
		v := t.Store.GetVariable("/" + s.scope + "/" + optimizer.Scope + "/" + optimizer.ParamLearningRate)
		if v == nil || !v.HasValue() {
			continue // not built yet: the optimizer will start from Config
		}
		value := tensors.FromScalar(s.lr)
		if v.MustValue().DType() == dtypes.Float32 {
			value = tensors.FromScalar(float32(s.lr))
		}
		if err := v.SetValue(value); err != nil {
			return fmt.Errorf("setting the %s learning rate: %w", s.scope, err)
		}
	}
	return nil
}

// ChangeLearningRates is SetLearningRates that describes the change from the next step on in a
// line ("" and nothing done when both rates stay).
func (t *Trainer) ChangeLearningRates(lrD, lrG float64) (string, error) {
	oldD, oldG := t.Config.LearningRateD, t.Config.LearningRateG
	if lrD == oldD && lrG == oldG {
		return "", nil
	}
	if err := t.SetLearningRates(lrD, lrG); err != nil {
		return "", err
	}
	return fmt.Sprintf("learning rates from step %d on: discriminator %g (was %g), generator %g (was %g)", t.Step()+1, lrD, oldD, lrG, oldG), nil
}
