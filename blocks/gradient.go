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
//
// An input computed from constants alone has no gradient and goes to op as it is: an inference
// graph, where the go backend makes every variable a constant, then runs op with no identity in
// the way (an identity of a constant copies it at every call).
func withGradients(x []*Node, op func(in []*Node) *Node, grads ...func(in []*Node, v *Node) *Node) *Node {
	if len(grads) != len(x) {
		panic("blocks.withGradients: one gradient function per input")
	}
	var adjoint *Node
	in := make([]*Node, len(x))
	differentiable := false
	for i := range x {
		if constant(x[i]) {
			in[i] = x[i]
			continue
		}
		differentiable = true
		grad := grads[i]
		in[i] = IdentityWithCustomGradient(x[i], func(_, _ *Node) *Node { return grad(in, adjoint) })
	}
	if !differentiable {
		return op(in)
	}
	return IdentityWithCustomGradient(op(in), func(_, v *Node) *Node {
		adjoint = v
		return v
	})
}

// constant says whether x is computed from constants alone: no parameter (an input or a
// variable passed as one) and no random draw among its ancestors.
func constant(x *Node) bool {
	seen := map[*Node]bool{}
	var walk func(n *Node) bool
	walk = func(n *Node) bool {
		if seen[n] {
			return true
		}
		seen[n] = true
		switch n.Type() {
		case NodeTypeParameter, NodeTypeRNGBitGenerator:
			return false
		}
		for _, in := range n.Inputs() {
			if !walk(in) {
				return false
			}
		}
		return true
	}
	return walk(x)
}
