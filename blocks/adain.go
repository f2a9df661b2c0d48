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
	if n, h, w, c := x.Shape().Dimensions[0], x.Shape().Dimensions[1], x.Shape().Dimensions[2], x.Shape().Dimensions[3]; n == 1 {
		// One image (a rendered frame): the statistics as a reduction over the leading axis of
		// [H·W, C], which the go backend vectorises; over the middle axes of [1, H, W, C] it
		// runs a scalar loop, a tenth of an avatar frame's time.
		y := normalize(Reshape(x, h*w, c), scale, bias, epsilon, 0)
		return Reshape(y, 1, h, w, c)
	}
	return normalize(x, InsertAxes(scale, 1, 1), InsertAxes(bias, 1, 1), epsilon, 1, 2)
}

// normalize is s · (x − μ) / sqrt(σ² + ε) + b with μ and σ² over the given axes of x.
func normalize(x, scale, bias *Node, epsilon float64, axes ...int) *Node {
	mean := ReduceAndKeep(x, ReduceMean, axes...)
	centered := Sub(x, mean)
	variance := ReduceAndKeep(Square(centered), ReduceMean, axes...)
	normalized := Div(centered, Sqrt(AddScalar(variance, epsilon)))
	return Add(Mul(normalized, scale), bias)
}
