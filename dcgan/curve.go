package dcgan

import (
	"errors"
	"fmt"
	"math"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/eval"
	"github.com/ganlab/ganlab/gan"
)

// ScoreCurve measures the generator of each checkpoint file (oldest first) with classifier c
// against reference: n samples each, from noise seed. done, if set, hears each point.
func ScoreCurve(backend compute.Backend, c *eval.Classifier, reference eval.Gaussian, files []string, n int, seed uint64, done func(i int, p eval.CurvePoint)) ([]eval.CurvePoint, error) {
	return c.Curve(len(files), reference, func(i int) (int, *tensors.Tensor, error) {
		m, _, err := LoadGenerator(backend, files[i])
		if err != nil {
			return 0, nil, err
		}
		samples, err := Sample(m, n, seed, 0)
		return m.Step(), samples, err
	}, done)
}

// ErrNoCheckpoints marks a training run directory without checkpoints.
var ErrNoCheckpoints = errors.New("no checkpoints")

// ScoreRun is ScoreCurve over every checkpoint of the training run (or checkpoint directory) dir,
// oldest first, against the classifier's Gaussian of the test images. A run without checkpoints
// is an error wrapping ErrNoCheckpoints.
func ScoreRun(backend compute.Backend, c *eval.Classifier, test *datasets.ImageSet, dir string, n int, seed uint64, done func(i, count int, p eval.CurvePoint)) ([]eval.CurvePoint, error) {
	files := gan.NewestCheckpoints(dir, math.MaxInt)
	if len(files) == 0 {
		return nil, fmt.Errorf("%w in %s", ErrNoCheckpoints, gan.CheckpointDir(dir))
	}
	reference, err := c.Reference(eval.SetTensor(test, 0))
	if err != nil {
		return nil, err
	}
	return ScoreCurve(backend, c, reference, files, n, seed, func(i int, p eval.CurvePoint) {
		if done != nil {
			done(i, len(files), p)
		}
	})
}
