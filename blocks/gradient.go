package blocks

import . "github.com/gomlx/gomlx/core/graph" //nolint:revive

// withGradients computes op(in) on the inputs x with hand-written gradients: the gradient with
// respect to x[i] is grads[i](in, v), where in are the inputs as op received them and v is the
// adjoint of op's output. GoMLX's automatic gradient of op is still built, but nothing uses it,
// so the backend prunes it.
//
// blocks uses it where the automatic gradient is slow on the go backend: a matrix product's
// (matmulByKernel) and a padding's (padSpatial). The tests compare each with the automatic one.
//
// v reaches the inputs' gradients through a variable that the reverse pass sets when it reaches
// op's output: a reverse pass visits a node before the nodes it is computed from, so v is set
// before any input's gradient is built, and each reverse pass (each Gradient call on the graph)
// sets it anew. grads[i] should build on in, not x, so that x keeps one consumer and the identity
// that carries its gradient does not copy it.
func withGradients(x []*Node, op func(in []*Node) *Node, grads ...func(in []*Node, v *Node) *Node) *Node {
	if len(grads) != len(x) {
		panic("blocks.withGradients: one gradient function per input")
	}
	var adjoint *Node
	in := make([]*Node, len(x))
	for i := range x {
		grad := grads[i]
		in[i] = IdentityWithCustomGradient(x[i], func(_, _ *Node) *Node { return grad(in, adjoint) })
	}
	return IdentityWithCustomGradient(op(in), func(_, v *Node) *Node {
		adjoint = v
		return v
	})
}
