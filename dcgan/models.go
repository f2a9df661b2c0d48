package dcgan

import (
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"

	"github.com/ganlab/ganlab/blocks"
	"github.com/ganlab/ganlab/gan"
)

// TutorialModels is the TF DCGAN tutorial's MNIST model (tensorflow.org/tutorials/generative/dcgan),
// the same as the PyTorch anchor in shared/anchors: z(100) → Dense 7·7·256 (no bias) → BN →
// LeakyReLU → ConvT 128 5×5 s1 → BN → LReLU → ConvT 64 5×5 s2 → BN → LReLU → ConvT 1 5×5 s2 →
// tanh (28×28×1); D: Conv 64 5×5 s2 → LReLU → Dropout 0.3 → Conv 128 5×5 s2 → LReLU →
// Dropout 0.3 → Dense 1 (logit). All generator layers are bias-free (BN follows them); LeakyReLU
// slope 0.2; batch norm with PyTorch's ε = 1e-5 and momentum 0.1 (0.9 in Keras's convention);
// weights N(0, 0.02) as in the DCGAN paper.
func TutorialModels() (gan.Generator, gan.Discriminator) { return tutorialModels(MNIST()) }

// tutorialModels builds the tutorial model with c's latent size and initialization (its widths
// and image size are fixed: the shipped pretrained generator depends on its variable names).
func tutorialModels(c Config) (gan.Generator, gan.Discriminator) {
	const slope = 0.2
	bn := func(scope *model.Scope, x *Node) *Node {
		return blocks.BatchNorm(scope, x).Momentum(0.9).Epsilon(1e-5).Done()
	}
	g := func(scope *model.Scope, z *Node) *Node {
		scope = scope.WithInitializer(initializer.RandomNormalFn(scope, c.InitStd))
		b := z.Shape().Dimensions[0]
		x := blocks.Dense(scope.In("project"), z, false, 7*7*256)
		x = blocks.LeakyReLU(bn(scope.In("bn0"), x), slope) // per-feature BN, as BatchNorm1d(7·7·256)
		x = Reshape(x, b, 7, 7, 256)
		x = blocks.ConvTranspose2D(scope.In("deconv1"), x).Channels(128).KernelSize(5).Strides(1).UseBias(false).Done()
		x = blocks.LeakyReLU(bn(scope.In("bn1"), x), slope)
		x = blocks.ConvTranspose2D(scope.In("deconv2"), x).Channels(64).KernelSize(5).Strides(2).UseBias(false).Done()
		x = blocks.LeakyReLU(bn(scope.In("bn2"), x), slope)
		x = blocks.ConvTranspose2D(scope.In("deconv3"), x).Channels(c.Channels).KernelSize(5).Strides(2).UseBias(false).Done()
		return Tanh(x)
	}
	d := func(scope *model.Scope, x *Node) *Node {
		scope = scope.WithInitializer(initializer.RandomNormalFn(scope, c.InitStd))
		b := x.Shape().Dimensions[0]
		x = blocks.Conv2D(scope.In("conv1"), x).Channels(64).KernelSize(5).Strides(2).Done()
		x = layers.DropoutStatic(scope, blocks.LeakyReLU(x, slope), 0.3)
		x = blocks.Conv2D(scope.In("conv2"), x).Channels(128).KernelSize(5).Strides(2).Done()
		x = layers.DropoutStatic(scope, blocks.LeakyReLU(x, slope), 0.3)
		return blocks.Dense(scope.In("logit"), Reshape(x, b, -1), true, 1)
	}
	return g, d
}
