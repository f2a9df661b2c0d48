package dcgan

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/ganlab/ganlab/gan"
)

// ModelName is the model name written in DCGAN checkpoint and generator files.
const ModelName = "dcgan"

// LoadGenerator reads a DCGAN generator file (gan.Model.SaveGenerator, e.g. the shipped
// pretrained.Path("dcgan-mnist.gob")), a checkpoint, or the newest checkpoint of a directory, and
// returns the model (Sample, Generate; Discriminate when the file holds D) with its Config. When
// the file holds a moving average of the generator's weights (Config.EMADecay), the model uses
// it (gan.Model.PreferMovingAverage).
func LoadGenerator(backend compute.Backend, path string) (*gan.Model, Config, error) {
	return loadGenerator(backend, path, true)
}

// LoadGeneratorLastStep is LoadGenerator with the weights of the last training step even when the
// file also holds their moving average: to measure what the average changes. A file that holds
// only the average (a run's generator.gob, an export of it) is an error: its last step's weights
// are in the run's checkpoints.
func LoadGeneratorLastStep(backend compute.Backend, path string) (*gan.Model, Config, error) {
	return loadGenerator(backend, path, false)
}

func loadGenerator(backend compute.Backend, path string, movingAverage bool) (*gan.Model, Config, error) {
	file, err := gan.ReadCheckpoint(path, ModelName)
	if err != nil {
		return nil, Config{}, err
	}
	t, c, err := newGeneratorFor(backend, file.CheckpointInfo)
	if err != nil {
		return nil, Config{}, err
	}
	if err := t.Restore(file); err != nil {
		return nil, Config{}, err
	}
	if !movingAverage {
		if avg := t.Meta[gan.MetaMovingAverage]; avg != "" {
			return nil, Config{}, fmt.Errorf("%s holds only the moving average of G's weights (%s), not the last step's: use a checkpoint of the run", path, avg)
		}
		return t, c, nil
	}
	if err := t.PreferMovingAverage(); err != nil {
		return nil, Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return t, c, nil
}

// LoadAveragedGenerator returns the model whose generator weights are the mean of the
// generators in several checkpoints of one training run (gan.Model.LoadAverage: averaging
// the iterates, Yazıcı et al. 2019), with batch-norm statistics recomputed on
// calibrationBatches batches of noise (100 leave ≈ 3·10⁻⁵ of the checkpoint's own statistics).
// The newest checkpoint gives the configuration, step and history. progress, if set, hears the
// files read and then the calibration batches.
func LoadAveragedGenerator(backend compute.Backend, paths []string, calibrationBatches int, progress func(done, total int)) (*gan.Model, Config, error) {
	if len(paths) == 0 {
		return nil, Config{}, fmt.Errorf("no checkpoints to average")
	}
	files := make([]*gan.Checkpoint, len(paths))
	for i, path := range paths {
		var err error
		if files[i], err = gan.ReadCheckpoint(path, ModelName); err != nil {
			return nil, Config{}, err
		}
		if progress != nil {
			progress(i+1, len(paths)+calibrationBatches)
		}
	}
	t, c, err := newGeneratorFor(backend, files[0].CheckpointInfo)
	if err != nil {
		return nil, Config{}, err
	}
	if progress != nil {
		t.Progress = func(done, _ int) { progress(len(paths)+done, len(paths)+calibrationBatches) }
	}
	err = t.LoadAverage(files, calibrationBatches)
	t.Progress = nil
	if err != nil {
		return nil, Config{}, err
	}
	return t, c, nil
}

// newGeneratorFor builds an empty model with the architecture a DCGAN file records.
func newGeneratorFor(backend compute.Backend, info gan.CheckpointInfo) (*gan.Model, Config, error) {
	c, err := ConfigFromMeta(info.Meta)
	if err != nil {
		return nil, Config{}, fmt.Errorf("%s: %w", info.Path, err)
	}
	g, d, err := c.Models()
	if err != nil {
		return nil, Config{}, err
	}
	m, err := gan.NewModel(backend, info.Config, g, d)
	if err != nil {
		return nil, Config{}, err
	}
	m.Name = ModelName
	return m, c, nil
}

// Sample draws n samples from m with its noise seeded by seed (the file's RNG state must not
// decide them); with truncation > 0, z is drawn from N(0, 1) truncated to ±truncation
// (gan.TruncatedNoise, BigGAN's truncation trick).
func Sample(m *gan.Model, n int, seed uint64, truncation float64) (*tensors.Tensor, error) {
	if err := m.Store.SetRNGStateFromSeed(int64(seed)); err != nil {
		return nil, err
	}
	if truncation == 0 {
		return m.Sample(n)
	}
	z, err := gan.TruncatedNoise(n, m.Config.LatentDim, seed, truncation)
	if err != nil {
		return nil, err
	}
	return m.Generate(z)
}
