package blocks

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
)

// AdaIN is adaptive instance normalization (Huang & Belongie 2017, Eq. 8), the way the bi-layer
// avatar's inference generator receives the identity embedding:
//
//	AdaIN(x, s, b) = s · (x − μ(x)) / sqrt(σ²(x) + ε) + b,
//
// with μ, σ² computed per sample and per channel over the spatial axes of x [N, H, W, C];
// scale and bias are [N, C] (predicted from the embedding). ε is typically 1e-5.
func AdaIN(x, scale, bias *Node, epsilon float64) *Node {
	if x.Rank() != 4 || scale.Rank() != 2 || bias.Rank() != 2 {
		panic(fmt.Errorf("blocks.AdaIN: want x [N,H,W,C], scale and bias [N,C]; got %s, %s, %s", x.Shape(), scale.Shape(), bias.Shape()))
	}
	mean := ReduceAndKeep(x, ReduceMean, 1, 2)
	centered := Sub(x, mean)
	variance := ReduceAndKeep(Square(centered), ReduceMean, 1, 2)
	normalized := Div(centered, Sqrt(AddScalar(variance, epsilon)))
	return Add(Mul(normalized, InsertAxes(scale, 1, 1)), InsertAxes(bias, 1, 1))
}
