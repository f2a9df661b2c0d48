package gan

import (
	"errors"
	"fmt"
	"math"
	"path"
	"strings"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// EMAScope holds the exponential moving average of the generator's trainable weights
// (Config.EMADecay), under the same names as in GenScope, and the number of generator steps it
// has averaged (emaStepsName).
const EMAScope = "generator_ema"

const emaStepsName = "steps"

// updateMovingAverage adds the generator's weights after this graph's update to their moving
// average, θ̄ ← β θ̄ + (1 − β) θ (β = Config.EMADecay), and counts the step. θ̄ starts at zero,
// so after n steps it carries a weight β^n on that zero; UseMovingAverage divides it out.
func (m *Model) updateMovingAverage(scope *model.Scope, g *Graph) {
	beta := m.Config.EMADecay
	var weights []*model.Variable
	for v := range scope.At(GenScope).IterVariables() {
		if v.Trainable && v.InUseByGraph(g) {
			weights = append(weights, v)
		}
	}
	store := scope.Store()
	for _, v := range weights {
		avg := store.Scope(path.Join("/", EMAScope, strings.TrimPrefix(v.Scope(), "/"+GenScope))).
			WithInitializer(initializer.Zero).VariableWithShape(v.Name(), v.Shape()).SetTrainable(false)
		avg.SetNodeValue(Add(MulScalar(avg.NodeValue(g), beta), MulScalar(v.NodeValue(g), 1-beta)))
	}
	optimizer.IncrementCounter(store.Scope("/"+EMAScope), g, emaStepsName, dtypes.Int64)
}

// HasMovingAverage says whether the Store holds a moving average of the generator's weights
// (a model trained with Config.EMADecay > 0, restored from a full checkpoint).
func (m *Model) HasMovingAverage() bool {
	_, ok := m.movingAverageSteps()
	return ok
}

// movingAverageSteps is the number of generator steps the moving average holds, and whether
// the Store holds one.
func (m *Model) movingAverageSteps() (int64, bool) {
	v := m.Store.GetVariable(path.Join("/", EMAScope, emaStepsName))
	if v == nil || !v.HasValue() {
		return 0, false
	}
	return tensors.ToScalar[int64](v.MustValue()), true
}

// UseMovingAverage replaces the generator's trainable weights by their exponential moving
// average over training (Config.EMADecay), debiased for its zero start:
//
//	θ_G ← θ̄ / (1 − β^n)   after n generator steps,
//
// then recomputes the batch-norm statistics for those weights (RecalibrateBatchNorm with
// calibrationBatches batches; 0 skips it, for a generator without batch norm). The average
// stays in the Store, so training can continue; the generator's own weights do not (save a
// checkpoint first to keep them). Unlike LoadAverage, which averages a few saved checkpoints
// with equal weights, the moving average sees every step and weighs the last ≈ 1/(1 − β) most.
func (m *Model) UseMovingAverage(calibrationBatches int) error {
	n, ok := m.movingAverageSteps()
	if !ok {
		return errors.New("this model holds no moving average of its generator's weights: train it with an EMA decay > 0 and load a full checkpoint")
	}
	beta := m.Config.EMADecay
	if !(beta > 0 && beta < 1) {
		return fmt.Errorf("the model holds a moving average but its configuration's EMA decay is %g", beta)
	}
	if n <= 0 {
		return errors.New("the moving average has not averaged any generator step yet")
	}
	scale := 1 / (1 - math.Pow(beta, float64(n)))
	prefix := "/" + GenScope + "/"
	for v := range m.Store.IterVariables() {
		if !v.Trainable || !strings.HasPrefix(v.Path(), prefix) || !v.HasValue() {
			continue
		}
		avg := m.Store.GetVariable(path.Join("/", EMAScope, strings.TrimPrefix(v.Path(), prefix)))
		if avg == nil || !avg.HasValue() {
			return fmt.Errorf("generator weight %s has no moving average", v.Path())
		}
		value, err := scaled(avg.MustValue(), scale)
		if err != nil {
			return fmt.Errorf("%s: %w", v.Path(), err)
		}
		if err := v.SetValue(value); err != nil {
			return fmt.Errorf("setting %s to its moving average: %w", v.Path(), err)
		}
	}
	if calibrationBatches > 0 {
		return m.RecalibrateBatchNorm(calibrationBatches)
	}
	return nil
}

// scaled returns a new tensor x·k (float32 or float64).
func scaled(x *tensors.Tensor, k float64) (*tensors.Tensor, error) {
	dims := x.Shape().Dimensions
	switch x.DType() {
	case dtypes.Float32:
		data := tensors.MustCopyFlatData[float32](x)
		for i := range data {
			data[i] *= float32(k)
		}
		return tensors.FromFlatDataAndDimensions(data, dims...), nil
	case dtypes.Float64:
		data := tensors.MustCopyFlatData[float64](x)
		for i := range data {
			data[i] *= k
		}
		return tensors.FromFlatDataAndDimensions(data, dims...), nil
	}
	return nil, fmt.Errorf("moving average of dtype %s: want float32 or float64", x.DType())
}

// MetaMovingAverage is the Meta key under which PreferMovingAverage records that the generator's
// weights are the moving average (its decay and step count).
const MetaMovingAverage = "gan.moving_average"

// PreferMovingAverage puts the moving average in the generator's place when the Store holds one
// (UseMovingAverage, batch-norm statistics recomputed on 100 batches of noise, which leave
// ≈ 3·10⁻⁵ of the old ones) and records it in Meta[MetaMovingAverage]; otherwise it does
// nothing. The generator loaders of dcgan and cgan call it, so that the samples, evaluations and
// exports of a run trained with an EMA decay use the average, as is usual for such runs.
func (m *Model) PreferMovingAverage() error {
	n, ok := m.movingAverageSteps()
	if !ok {
		return nil
	}
	if err := m.UseMovingAverage(100); err != nil {
		return err
	}
	if m.Meta == nil {
		m.Meta = map[string]string{}
	}
	m.Meta[MetaMovingAverage] = fmt.Sprintf("decay %g over %d generator steps", m.Config.EMADecay, n)
	return nil
}
