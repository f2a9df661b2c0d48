package blocks

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/ml/model"
)

// BatchNormTrain normalizes x [N, ..., C] with the statistics of the batch itself (Ioffe &
// Szegedy 2015, Algorithm 1), per channel (the last axis):
//
//	μ_c = mean over every axis but the last,  σ²_c = mean((x − μ_c)²)  (biased, as Keras),
//	y = γ_c · (x − μ_c) / sqrt(σ²_c + ε) + β_c.
//
// gamma and beta are [C] (pass nil for γ = 1 / β = 0). It returns y and the batch mean and
// variance [C]. The gradient flows through μ and σ² (the full batch-norm gradient), unlike
// GoMLX's norm.BatchNorm with UseBackendInference(false). It is written out (withGradients):
// with v the adjoint of y, x̂ = (x − μ)/sqrt(σ² + ε) and M the number of values per channel,
//
//	∂β = Σ v,  ∂γ = Σ v·x̂,  ∂x = γ/sqrt(σ² + ε) · (v − ∂β/M − x̂·∂γ/M),
//
// seven passes over x's size for ∂x (docs/performance.md, v7, compares the time with the automatic
// gradient's; TestBatchNormGradientsMatchAutomatic the values).
func BatchNormTrain(x, gamma, beta *Node, epsilon float64) (y, mean, variance *Node) {
	axes := nonChannelAxes(x)
	rank := x.Rank()
	var centered, rstd, scale *Node // scale = γ·rstd: ∂y/∂x along the centered values
	op := func(in []*Node) *Node {
		mean = ReduceMean(in[0], axes...)
		centered = Sub(in[0], ExpandLeftToRank(mean, rank))
		variance = ReduceMean(Square(centered), axes...)
		rstd = Inverse(Sqrt(AddScalar(variance, epsilon)))
		scale = rstd
		if gamma != nil {
			scale = Mul(rstd, in[1])
		}
		y := Mul(centered, ExpandLeftToRank(scale, rank))
		if beta != nil {
			y = Add(y, ExpandLeftToRank(in[len(in)-1], rank))
		}
		return y
	}
	// sums returns Σ v and Σ v·(x − μ) per channel for the adjoint v, once per reverse pass.
	var sumsOf, sumV, sumVCentered *Node
	sums := func(v *Node) (*Node, *Node) {
		if sumsOf != v {
			sumsOf, sumV, sumVCentered = v, ReduceSum(v, axes...), ReduceSum(Mul(v, centered), axes...)
		}
		return sumV, sumVCentered
	}
	inputs := []*Node{x}
	grads := []func(in []*Node, v *Node) *Node{func(_ []*Node, v *Node) *Node {
		sumV, sumVCentered := sums(v)
		m := float64(x.Shape().Size() / x.Shape().Dimensions[rank-1])
		// ∂x = scale·v − scale·Σv/M − (x − μ)·scale·rstd²·Σ v·(x − μ)/M
		shift := MulScalar(Mul(scale, sumV), -1/m)
		slope := MulScalar(Mul(Mul(scale, Square(rstd)), sumVCentered), -1/m)
		return Add(Add(Mul(v, ExpandLeftToRank(scale, rank)), Mul(centered, ExpandLeftToRank(slope, rank))), ExpandLeftToRank(shift, rank))
	}}
	if gamma != nil {
		inputs = append(inputs, gamma)
		grads = append(grads, func(_ []*Node, v *Node) *Node { _, s := sums(v); return Mul(s, rstd) })
	}
	if beta != nil {
		inputs = append(inputs, beta)
		grads = append(grads, func(_ []*Node, v *Node) *Node { s, _ := sums(v); return s })
	}
	y = withGradients(inputs, op, grads...)
	return y, mean, variance
}

// BatchNormInference normalizes x [N, ..., C] with given (moving-average) statistics mean and
// variance [C]: y = γ · (x − mean) / sqrt(variance + ε) + β. gamma/beta may be nil.
func BatchNormInference(x, gamma, beta, mean, variance *Node, epsilon float64) *Node {
	centered := Sub(x, ExpandLeftToRank(mean, x.Rank()))
	return scaleShift(centered, variance, gamma, beta, epsilon)
}

func scaleShift(centered, variance, gamma, beta *Node, epsilon float64) *Node {
	rank := centered.Rank()
	std := Sqrt(AddScalar(variance, epsilon))
	y := Div(centered, ExpandLeftToRank(std, rank))
	if gamma != nil {
		y = Mul(y, ExpandLeftToRank(gamma, rank))
	}
	if beta != nil {
		y = Add(y, ExpandLeftToRank(beta, rank))
	}
	return y
}

func nonChannelAxes(x *Node) []int {
	axes := make([]int, x.Rank()-1)
	for i := range axes {
		axes[i] = i
	}
	return axes
}

// BatchNormBuilder builds a batch-normalization layer. Create it with [BatchNorm].
//
// Defaults are Keras's (the DCGAN tutorial's): momentum 0.99, ε = 1e-3, learned scale γ
// (init 1) and offset β (init 0). PyTorch's BatchNorm2d defaults are momentum 0.1 in its own
// convention (= 0.9 here) and ε = 1e-5.
//
// Modes follow scope.IsTraining(g): in training the batch statistics normalize the batch and
// the moving averages are updated,
//
//	moving = momentum · moving + (1 − momentum) · batch statistic,
//
// as a variable update of the graph (so a training Exec stores them after each call); in
// inference the moving averages are used and nothing changes. Variables (in scope): "scale",
// "offset" (trainable) and "moving_mean", "moving_variance" (not trainable).
type BatchNormBuilder struct {
	scope         *model.Scope
	x             *Node
	momentum, eps float64
	scale, center bool
}

// BatchNorm starts a batch-normalization layer on x [N, ..., C].
func BatchNorm(scope *model.Scope, x *Node) *BatchNormBuilder {
	return &BatchNormBuilder{scope: scope, x: x, momentum: 0.99, eps: 1e-3, scale: true, center: true}
}

// Momentum sets the moving-average momentum in [0, 1) (default 0.99).
func (b *BatchNormBuilder) Momentum(m float64) *BatchNormBuilder { b.momentum = m; return b }

// Epsilon sets ε (default 1e-3).
func (b *BatchNormBuilder) Epsilon(eps float64) *BatchNormBuilder { b.eps = eps; return b }

// Scale turns the learned γ on or off (default on).
func (b *BatchNormBuilder) Scale(use bool) *BatchNormBuilder { b.scale = use; return b }

// Center turns the learned β on or off (default on).
func (b *BatchNormBuilder) Center(use bool) *BatchNormBuilder { b.center = use; return b }

// Done creates the variables and returns the normalized x (same shape).
func (b *BatchNormBuilder) Done() *Node {
	if b.momentum < 0 || b.momentum >= 1 || b.eps <= 0 {
		panic(fmt.Errorf("blocks.BatchNorm in scope %q: need 0 ≤ momentum < 1 and ε > 0, got %g and %g", b.scope.Scope(), b.momentum, b.eps))
	}
	g, dtype := b.x.Graph(), b.x.DType()
	c := b.x.Shape().Dimensions[b.x.Rank()-1]
	var gamma, beta *Node
	if b.scale {
		gamma = b.scope.VariableWithValue("scale", ones(dtype, c)).NodeValue(g)
	}
	if b.center {
		beta = b.scope.VariableWithValue("offset", zeros(dtype, c)).NodeValue(g)
	}
	movingMean := b.scope.VariableWithValue("moving_mean", zeros(dtype, c)).SetTrainable(false)
	movingVar := b.scope.VariableWithValue("moving_variance", ones(dtype, c)).SetTrainable(false)
	if !b.scope.IsTraining(g) {
		return BatchNormInference(b.x, gamma, beta, movingMean.NodeValue(g), movingVar.NodeValue(g), b.eps)
	}
	y, mean, variance := BatchNormTrain(b.x, gamma, beta, b.eps)
	m := b.momentum
	update := func(v *model.Variable, stat *Node) {
		v.SetNodeValue(Add(MulScalar(v.NodeValue(g), m), MulScalar(StopGradient(stat), 1-m)))
	}
	update(movingMean, mean)
	update(movingVar, variance)
	return y
}
