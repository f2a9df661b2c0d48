package blocks

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/ml/model"
)

// Dense is a fully connected layer x [B, In] → x·weights (+ biases) [B, Out].
//
// Its variables are those of GoMLX's layers.Dense, created in the same order with the scope's
// initializer: "dense/weights" [In, Out], then "dense/biases" [Out] when useBias. A model
// built with either layer reads the other's files, and from the same seed both start from the
// same weights. The product is the convolutions' (matmulByKernel): layers.Dense's fused
// gradient transposes the whole input x, single-threaded, to form the weights' gradient, where
// this transposes only the output's adjoint (for a discriminator's logit, B × 1 instead of
// B × In). Weight regularizers (layers' regularizer.FromScope) are not applied.
func Dense(scope *model.Scope, x *Node, useBias bool, out int) *Node {
	if x.Rank() != 2 || out <= 0 {
		panic(fmt.Errorf("blocks.Dense in scope %q: want x [B, In] and Out > 0, got x %s and Out %d", scope.Scope(), x.Shape(), out))
	}
	scope = scope.In("dense")
	g := x.Graph()
	weights := scope.VariableWithShape("weights", shapeOf(x.DType(), x.Shape().Dimensions[1], out)).NodeValue(g)
	y := matmulByKernel(x, weights)
	if useBias {
		biases := scope.VariableWithShape("biases", shapeOf(x.DType(), out)).NodeValue(g)
		y = Add(y, ExpandLeftToRank(biases, 2))
	}
	return y
}
