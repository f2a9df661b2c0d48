package gan

import (
	"fmt"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/ganlab/ganlab/blocks"
	"github.com/ganlab/ganlab/datasets"
)

// Activation names a hidden-layer nonlinearity of the MLP models.
type Activation string

const (
	ActReLU      Activation = "relu"
	ActLeakyReLU Activation = "leakyrelu" // slope 0.2
	ActTanh      Activation = "tanh"
)

func activate(a Activation, x *Node) *Node {
	switch a {
	case ActReLU:
		return Max(x, ZerosLike(x))
	case ActLeakyReLU:
		return blocks.LeakyReLU(x, 0.2)
	case ActTanh:
		return Tanh(x)
	}
	panic(fmt.Errorf("unknown activation %q", a))
}

// MLP is a multilayer perceptron: Dense layers of the Hidden sizes with Activation between, then
// a Dense layer of size Out. Each layer has its own sub-scope ("layer_i").
type MLP struct {
	Hidden     []int
	Activation Activation
	Out        int
	// OutputTanh squashes the output to (−1, 1) (image generators, data scaled to [−1, 1]).
	OutputTanh bool
}

func (m MLP) apply(scope *model.Scope, x *Node) *Node {
	if x.Rank() > 2 { // images: flatten
		x = Reshape(x, x.Shape().Dimensions[0], -1)
	}
	for i, h := range m.Hidden {
		x = activate(m.Activation, layers.DenseWithBias(scope.In("layer_%d", i), x, h))
	}
	x = layers.DenseWithBias(scope.In("layer_%d", len(m.Hidden)), x, m.Out)
	if m.OutputTanh {
		x = Tanh(x)
	}
	return x
}

// Generator returns the MLP as a generator z → x [B, Out].
func (m MLP) Generator() Generator { return m.apply }

// Discriminator returns the MLP as a discriminator x → logit [B, Out] (Out should be 1).
func (m MLP) Discriminator() Discriminator { return Discriminator(m.apply) }

// Toy1DModels are the small MLPs used for 1-D data: G maps a 1-D z through two tanh layers of 32
// to x; D maps x through two LeakyReLU layers of 32 to a logit. (Tanh in D trained markedly
// worse here: its units saturate on inputs around 4.)
func Toy1DModels() (Generator, Discriminator) {
	g := MLP{Hidden: []int{32, 32}, Activation: ActTanh, Out: 1}
	d := MLP{Hidden: []int{32, 32}, Activation: ActLeakyReLU, Out: 1}
	return g.Generator(), d.Discriminator()
}

// Toy2DModels are the MLPs used for 2-D mixtures (rings, grids): 3 ReLU layers of 128 each.
func Toy2DModels() (Generator, Discriminator) {
	g := MLP{Hidden: []int{128, 128, 128}, Activation: ActReLU, Out: 2}
	d := MLP{Hidden: []int{128, 128, 128}, Activation: ActReLU, Out: 1}
	return g.Generator(), d.Discriminator()
}

// MNISTMLPModels are the fully connected MNIST GAN of Goodfellow et al. (as in PyTorch-GAN's
// gan.py, without its batch norm): G: z → 256 → 512 → 1024 → 784 (tanh), D: 784 → 512 → 256 → 1,
// LeakyReLU(0.2) throughout. Images are flattened [B, 784] in [−1, 1].
func MNISTMLPModels() (Generator, Discriminator) {
	g := MLP{Hidden: []int{256, 512, 1024}, Activation: ActLeakyReLU, Out: 784, OutputTanh: true}
	d := MLP{Hidden: []int{512, 256}, Activation: ActLeakyReLU, Out: 1}
	return g.Generator(), d.Discriminator()
}

// NewToy1DTrainer trains the Toy1DModels on samples of dist (model name "gan1d").
func NewToy1DTrainer(backend compute.Backend, cfg Config, dist datasets.Distribution1D) (*Trainer, error) {
	g, d := Toy1DModels()
	t, err := NewTrainer(backend, cfg, g, d, &Toy1D{Dist: dist, Seed: cfg.Seed})
	if err == nil {
		t.Name = "gan1d"
	}
	return t, err
}

// NewToy2DTrainer trains the Toy2DModels on samples of dist (model name "gan2d").
func NewToy2DTrainer(backend compute.Backend, cfg Config, dist datasets.Distribution2D) (*Trainer, error) {
	g, d := Toy2DModels()
	t, err := NewTrainer(backend, cfg, g, d, &Toy2D{Dist: dist, Seed: cfg.Seed})
	if err == nil {
		t.Name = "gan2d"
	}
	return t, err
}

// NewImageTrainer trains g and d on an image set (flattened to [B, H·W·C] for MLPs); name and
// meta (e.g. a DCGAN's architecture) are recorded in its checkpoints.
func NewImageTrainer(backend compute.Backend, cfg Config, name string, meta map[string]string, g Generator, d Discriminator, set *datasets.ImageSet, flatten bool) (*Trainer, error) {
	t, err := NewTrainer(backend, cfg, g, d, NewImages(set, cfg.Seed, flatten))
	if err == nil {
		t.Name, t.Meta = name, meta
	}
	return t, err
}
