package eval

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gomlx/gomlx/core/tensors"
	"gonum.org/v1/gonum/stat"
)

// MeanPairDistance is the mean distance between two images of a set [n, …] (float32): the set is
// split at random (a fixed seed) into ⌊n/2⌋ disjoint pairs, and each pair's distance is the root
// mean square of its pixel differences (in the images' own scale: [−1, 1] for generator outputs,
// so 2 is the largest). se is the standard error over the pairs, which are independent. A
// generator that collapses onto few images has a smaller mean distance than its training data.
func MeanPairDistance(images *tensors.Tensor) (mean, se float64, err error) {
	dims := images.Shape().Dimensions
	n := dims[0]
	if n < 4 {
		return 0, 0, fmt.Errorf("pair distance: need at least 4 images, got %d", n)
	}
	size := images.Shape().Size() / n
	perm := rand.New(rand.NewPCG(uint64(n), 3)).Perm(n)
	distances := make([]float64, n/2)
	tensors.MustConstFlatData[float32](images, func(flat []float32) {
		for p := range distances {
			a, b := flat[perm[2*p]*size:][:size], flat[perm[2*p+1]*size:][:size]
			var sum float64
			for i := range a {
				d := float64(a[i] - b[i])
				sum += d * d
			}
			distances[p] = math.Sqrt(sum / float64(size))
		}
	})
	mean, sd := stat.MeanStdDev(distances, nil)
	return mean, sd / math.Sqrt(float64(len(distances))), nil
}
