package blocks

import (
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX convention: graph ops read like math.
	"github.com/gomlx/gomlx/ml/model"
)

// SpectralNormalize divides a layer's kernel by an estimate of its largest singular value σ(W),
// so that the layer is (about) 1-Lipschitz: spectral normalization (Miyato et al. 2018, Eq. 8:
// W̄ = W / σ(W)). The kernel [..., Cout] is read as the matrix W [K, Cout], K the product of the
// leading axes. σ(W) comes from one step of power iteration per call (their Algorithm 1):
//
//	v ← W u / ‖W u‖,  u ← Wᵀ v / ‖Wᵀ v‖,  σ(W) ≈ vᵀ W u,
//
// with u [Cout] kept across steps in the non-trainable variable "sn_u" of scope (initialised to
// all ones: the first step normalizes it), updated only while training. Gradients flow through W but not
// through u and v, as in the paper.
func SpectralNormalize(scope *model.Scope, kernel *Node) *Node {
	g := kernel.Graph()
	dims := kernel.Shape().Dimensions
	cout := dims[len(dims)-1]
	w := Reshape(kernel, kernel.Shape().Size()/cout, cout)
	uVar := scope.VariableWithValue("sn_u", ones(kernel.DType(), cout)).SetTrainable(false)
	u := uVar.NodeValue(g)
	const eps = 1e-12
	normalize := func(x *Node) *Node { return Div(x, Sqrt(AddScalar(ReduceAllSum(Square(x)), eps))) }
	wc := StopGradient(w)
	v := normalize(DotProduct(wc, u)) // [K]
	u = normalize(DotProduct(v, wc))  // [Cout]
	if scope.IsTraining(g) {
		uVar.SetNodeValue(u)
	}
	sigma := DotProduct(v, DotProduct(w, u)) // vᵀ W u: differentiable in W
	return Div(kernel, sigma)
}
