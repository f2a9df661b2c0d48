package gan

import (
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// gradientSteps is the update of Eq. 16–17 as written: each trainable variable moves by −α times
// its gradient (the sign of Eq. 16's ascent is carried by the loss, which the trainer writes as a
// quantity to descend). α is a variable where Adam keeps its learning rate (so SetLearningRates
// and checkpoints treat both alike); unlike GoMLX's SGD there is no step counter and no decay.
type gradientSteps struct{ rate float64 }

// UpdateGraph implements optimizer.Interface.
func (o gradientSteps) UpdateGraph(scope *model.Scope, _ *Graph, loss *Node) {
	o.UpdateGraphWithGradients(scope, scope.BuildTrainableVariablesGradientsGraph(loss), loss.DType())
}

// UpdateGraphWithGradients applies grads, in the order BuildTrainableVariablesGradientsGraph
// returns them (the trainable variables of scope used by the graph, in iteration order).
func (o gradientSteps) UpdateGraphWithGradients(scope *model.Scope, grads []*Node, dtype dtypes.DType) {
	if len(grads) == 0 {
		return
	}
	g := grads[0].Graph()
	rate := optimizer.LearningRateVar(scope, dtype, o.rate).NodeValue(g)
	i := 0
	for v := range scope.IterVariables() {
		if !v.Trainable || !v.InUseByGraph(g) {
			continue
		}
		step := Mul(grads[i], ConvertDType(rate, grads[i].DType()))
		v.SetNodeValue(Sub(v.NodeValue(g), step))
		i++
	}
}

// Clear implements optimizer.Interface: there is no state to clear.
func (gradientSteps) Clear(*model.Scope) error { return nil }
