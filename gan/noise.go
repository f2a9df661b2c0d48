package gan

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// noiseStdPath is the variable that holds the instance noise's standard deviation at the current
// step (Config.NoiseScale), written before each step, so that one graph serves every step.
const noiseStdPath = "/instance_noise/std"

// withInstanceNoise returns x + σ·ε, ε ~ N(0, 1) drawn in the graph, σ the current
// Config.NoiseScale; x itself without instance noise (Config.InstanceNoise = 0).
func (t *Trainer) withInstanceNoise(scope *model.Scope, x *Node) *Node {
	if t.Config.InstanceNoise == 0 {
		return x
	}
	std := t.Store.GetVariable(noiseStdPath).NodeValue(x.Graph())
	return Add(x, Mul(scope.RandomNormal(x.Graph(), x.Shape()), ConvertDType(std, x.DType())))
}

// setInstanceNoise writes the standard deviation of step's instance noise, creating its variable
// on the first step (and after a restore from a checkpoint without it).
func (t *Trainer) setInstanceNoise(step int) error {
	if t.Config.InstanceNoise == 0 {
		return nil
	}
	value := func() *tensors.Tensor { return tensors.FromScalar(float32(t.Config.NoiseScale(step))) }
	if v := t.Store.GetVariable(noiseStdPath); v != nil {
		return v.SetValue(value())
	}
	v, err := t.Store.CreateVariable(noiseStdPath, value())
	if err != nil {
		return fmt.Errorf("instance noise: %w", err)
	}
	v.Trainable = false
	return nil
}
