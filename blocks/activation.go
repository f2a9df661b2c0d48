package blocks

import (
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
)

// LeakyReLU returns x where x ≥ 0 and slope·x elsewhere (Maas et al. 2013). DCGAN's
// discriminator uses slope 0.2 (Radford et al. 2015, §3); Keras's LeakyReLU default is 0.3.
// The gradient at exactly 0 is taken as 1.
func LeakyReLU(x *Node, slope float64) *Node {
	var positive *Node
	return withGradients([]*Node{x},
		func(in []*Node) *Node {
			positive = GreaterOrEqual(in[0], ScalarZero(x.Graph(), x.DType()))
			return Where(positive, in[0], MulScalar(in[0], slope))
		},
		func(_ []*Node, v *Node) *Node { return Where(positive, v, MulScalar(v, slope)) })
}
