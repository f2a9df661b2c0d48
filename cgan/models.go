package cgan

import (
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/ganlab/ganlab/blocks"
	"github.com/ganlab/ganlab/gan"
)

// Models builds G(z|y) [B, LatentDim] × [B] → images [B, H, W, C] in (−1, 1) and D(x|y)
// images × labels → logits [B, 1].
func (c Config) Models() (gan.ConditionalGenerator, gan.ConditionalDiscriminator, error) {
	if err := c.Validate(); err != nil {
		return nil, nil, err
	}
	if c.Arch == "mlp" {
		g, d := mlpModels(c)
		return g, d, nil
	}
	g, d := convModels(c)
	return g, d, nil
}

// oneHot is the label as a float one-hot vector [B, classes].
func oneHot(y *Node, classes int) *Node { return OneHot(y, classes, dtypes.Float32) }

// mlpModels follows PyTorch-GAN's cgan.py (after Mirza & Osindero): G: [z, onehot(y)] → 128 →
// 256 → 512 → 1024 → H·W·C (tanh), batch norm after every hidden layer but the first;
// D: [flatten(x), onehot(y)] → 512 → 512 → 512 → 1 with dropout 0.4 on the last two hidden
// layers. LeakyReLU(0.2) throughout.
func mlpModels(c Config) (gan.ConditionalGenerator, gan.ConditionalDiscriminator) {
	const slope = 0.2
	g := func(scope *model.Scope, z, y *Node) *Node {
		b := z.Shape().Dimensions[0]
		x := Concatenate([]*Node{z, oneHot(y, c.Classes)}, -1)
		for i, width := range []int{128, 256, 512, 1024} {
			x = blocks.Dense(scope.In("layer_%d", i), x, true, width)
			if i > 0 {
				x = blocks.BatchNorm(scope.In("bn_%d", i), x).Momentum(0.9).Epsilon(1e-5).Done()
			}
			x = blocks.LeakyReLU(x, slope)
		}
		x = Tanh(blocks.Dense(scope.In("layer_out"), x, true, c.ImageSize*c.ImageSize*c.Channels))
		return Reshape(x, b, c.ImageSize, c.ImageSize, c.Channels)
	}
	d := func(scope *model.Scope, x, y *Node) *Node {
		b := x.Shape().Dimensions[0]
		h := Concatenate([]*Node{Reshape(x, b, -1), oneHot(y, c.Classes)}, -1)
		for i := range 3 {
			h = blocks.LeakyReLU(blocks.Dense(scope.In("layer_%d", i), h, true, 512), slope)
			if i > 0 {
				h = layers.DropoutStatic(scope, h, 0.4)
			}
		}
		return blocks.Dense(scope.In("layer_out"), h, true, 1)
	}
	return g, d
}

// convModels wraps the DCGAN pair (package dcgan, the TF tutorial model at 28×28, the paper's
// otherwise): G gets z' = [z, onehot(y)]; D gets the image with the one-hot label broadcast
// over the pixels as Classes extra channels [B, H, W, C + Classes].
func convModels(c Config) (gan.ConditionalGenerator, gan.ConditionalDiscriminator) {
	g0, d0, err := c.dcgan().Models()
	if err != nil { // Validate ran first
		panic(err)
	}
	g := func(scope *model.Scope, z, y *Node) *Node {
		return g0(scope, Concatenate([]*Node{z, oneHot(y, c.Classes)}, -1))
	}
	d := func(scope *model.Scope, x, y *Node) *Node {
		dims := x.Shape().Dimensions
		planes := Reshape(oneHot(y, c.Classes), dims[0], 1, 1, c.Classes)
		planes = BroadcastToDims(planes, dims[0], dims[1], dims[2], c.Classes)
		return d0(scope, Concatenate([]*Node{x, planes}, -1))
	}
	return g, d
}
