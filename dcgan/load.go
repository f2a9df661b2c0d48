package dcgan

import (
	"fmt"

	"github.com/gomlx/compute"

	"github.com/ganlab/ganlab/gan"
)

// ModelName is the model name written in DCGAN checkpoint and generator files.
const ModelName = "dcgan"

// LoadGenerator reads a DCGAN generator file (gan.Trainer.SaveGenerator, e.g. the shipped
// pretrained.Path("dcgan-mnist.gob")), a checkpoint, or the newest checkpoint of a directory, and
// returns a sampling-only Trainer (Sample, Generate) with the model's Config.
func LoadGenerator(backend compute.Backend, path string) (*gan.Trainer, Config, error) {
	t, c, info, err := newGeneratorFor(backend, path)
	if err != nil {
		return nil, Config{}, err
	}
	if err := t.Load(info.Path, ModelName); err != nil {
		return nil, Config{}, err
	}
	return t, c, nil
}

// LoadAveragedGenerator returns a sampling-only Trainer whose generator weights are the mean of
// the generators in several checkpoints of one training run (gan.Trainer.LoadAverage: averaging
// the iterates, Yazıcı et al. 2019), with batch-norm statistics recomputed on
// calibrationBatches batches of noise (100 leave ≈ 3·10⁻⁵ of the checkpoint's own statistics).
// The newest checkpoint gives the configuration, step and history.
func LoadAveragedGenerator(backend compute.Backend, paths []string, calibrationBatches int) (*gan.Trainer, Config, error) {
	if len(paths) == 0 {
		return nil, Config{}, fmt.Errorf("no checkpoints to average")
	}
	t, c, _, err := newGeneratorFor(backend, paths[0])
	if err != nil {
		return nil, Config{}, err
	}
	if err := t.LoadAverage(paths, ModelName, calibrationBatches); err != nil {
		return nil, Config{}, err
	}
	return t, c, nil
}

// newGeneratorFor builds an empty sampling-only Trainer with the architecture a DCGAN file
// records (an error if the file is of another model).
func newGeneratorFor(backend compute.Backend, path string) (*gan.Trainer, Config, gan.CheckpointInfo, error) {
	info, err := gan.ReadCheckpointInfo(path)
	if err != nil {
		return nil, Config{}, info, err
	}
	if info.Model != ModelName {
		return nil, Config{}, info, fmt.Errorf("checkpoint %s is of model %q, not %q", info.Path, info.Model, ModelName)
	}
	c, err := ConfigFromMeta(info.Meta)
	if err != nil {
		return nil, Config{}, info, fmt.Errorf("%s: %w", info.Path, err)
	}
	g, _, err := c.Models()
	if err != nil {
		return nil, Config{}, info, err
	}
	t, err := gan.NewGenerator(backend, info.Config, g)
	return t, c, info, err
}
