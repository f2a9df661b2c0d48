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
// GoMLX's norm.BatchNorm with UseBackendInference(false); Sqrt then Div is used because Rsqrt
// has no gradient on the go backend.
func BatchNormTrain(x, gamma, beta *Node, epsilon float64) (y, mean, variance *Node) {
	axes := nonChannelAxes(x)
	mean = ReduceMean(x, axes...)
	centered := Sub(x, ExpandLeftToRank(mean, x.Rank()))
	variance = ReduceMean(Square(centered), axes...)
	y = scaleShift(centered, variance, gamma, beta, epsilon)
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
