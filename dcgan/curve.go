package dcgan

import (
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/ganlab/ganlab/eval"
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
