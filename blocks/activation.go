package blocks

import (
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
)

// LeakyReLU returns x where x ≥ 0 and slope·x elsewhere (Maas et al. 2013). DCGAN's
// discriminator uses slope 0.2 (Radford et al. 2015, §3); Keras's LeakyReLU default is 0.3.
// The gradient at exactly 0 is taken as 1.
func LeakyReLU(x *Node, slope float64) *Node {
	if slope < 0 || slope > 1 {
		positive := GreaterOrEqual(x, ScalarZero(x.Graph(), x.DType()))
		return Where(positive, x, MulScalar(x, slope))
	}
	return withGradients([]*Node{x},
		// max(x, slope·x) is x where x ≥ 0 and slope·x below: two SIMD ops, where Where and its
		// comparison took three times as long on the go backend.
		func(in []*Node) *Node { return Max(in[0], MulScalar(in[0], slope)) },
		func(in []*Node, v *Node) *Node {
			return Where(GreaterOrEqual(in[0], ScalarZero(x.Graph(), x.DType())), v, MulScalar(v, slope))
		})
}
