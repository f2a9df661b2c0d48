package dcgan

import (
	"encoding/json"
	"errors"
	"fmt"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"

	"github.com/ganlab/ganlab/blocks"
	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/gan"
)

// Config describes a DCGAN generator/discriminator pair. Start from a preset ([MNIST],
// [Paper64]) and override fields; [Config.Models] builds the pair or says why it cannot.
type Config struct {
	// Preset selects the architecture family: "mnist" (the TF tutorial's model, 28×28 only) or
	// "paper" (Radford et al. 2015, Fig. 2: project z to 4×4, double the size per layer).
	Preset    string
	ImageSize int // output height = width: 28 for "mnist"; 4·2^k (16, 32, 64, 128…) for "paper"
	Channels  int // 1 (grayscale) or 3 (RGB)
	LatentDim int // size of z (the paper: 100)
	// BaseWidth is the number of channels of D's first layer and G's last hidden layer; each
	// layer further from the image doubles it (the paper: 128 at 64×64, so 4×4×1024 after the
	// projection).
	BaseWidth int
	InitStd   float64 // weights N(0, InitStd²): the paper's 0.02
	// DiscriminatorNorm is the normalization of D in the paper family: "batch" (the paper's; ""
	// means the same), "none", or "spectral" (every D layer's kernel divided by its largest
	// singular value, SN-GAN's D; no batch norm). The tutorial model's D has none either way.
	DiscriminatorNorm string `json:",omitempty"`
	// MinibatchStd adds ProGAN's minibatch standard-deviation channel to the paper family's D
	// (Karras et al. 2018, §3; paper preset only): before D's last layer, each feature's standard
	// deviation over the batch, averaged into one number, is appended as a constant channel. A
	// batch of near-identical samples then shows as such, so a generator that collapses onto a
	// few images loses to D. G is unchanged.
	MinibatchStd bool `json:",omitempty"`
}

// MNIST is the TF DCGAN tutorial's 28×28×1 model ([TutorialModels]).
func MNIST() Config {
	return Config{Preset: "mnist", ImageSize: 28, Channels: 1, LatentDim: 100, BaseWidth: 64, InitStd: 0.02}
}

// Paper64 is the paper's Figure 2 generator and its mirror discriminator: z(100) → 4×4×1024 →
// 8×8×512 → 16×16×256 → 32×32×128 → 64×64×3.
func Paper64() Config {
	return Config{Preset: "paper", ImageSize: 64, Channels: 3, LatentDim: 100, BaseWidth: 128, InitStd: 0.02}
}

// Preset returns a preset by name: "mnist" or "paper64".
func Preset(name string) (Config, error) {
	switch name {
	case "mnist":
		return MNIST(), nil
	case "paper64", "paper":
		return Paper64(), nil
	}
	return Config{}, fmt.Errorf("unknown DCGAN preset %q (want mnist or paper64)", name)
}

// upsamplings returns k with ImageSize = 4·2^k for the paper family, or an error.
func (c Config) upsamplings() (int, error) {
	k := 0
	for s := 4; s < c.ImageSize; s *= 2 {
		k++
	}
	if c.ImageSize < 8 || 4<<k != c.ImageSize {
		return 0, fmt.Errorf("DCGAN preset %q cannot build %d×%d images: the size must be 4·2^k ≥ 8 (8, 16, 32, 64, 128…)", c.Preset, c.ImageSize, c.ImageSize)
	}
	return k, nil
}

// Validate reports why the configuration cannot be built.
func (c Config) Validate() error {
	switch {
	case c.Channels != 1 && c.Channels != 3:
		return fmt.Errorf("DCGAN: channels = %d, want 1 or 3", c.Channels)
	case c.LatentDim <= 0:
		return fmt.Errorf("DCGAN: latent size = %d, want > 0", c.LatentDim)
	case c.BaseWidth <= 0:
		return fmt.Errorf("DCGAN: base width = %d, want > 0", c.BaseWidth)
	case !(c.InitStd > 0):
		return fmt.Errorf("DCGAN: initial weight std = %g, want > 0", c.InitStd)
	case c.DiscriminatorNorm != "" && c.DiscriminatorNorm != "batch" && c.DiscriminatorNorm != "none" && c.DiscriminatorNorm != "spectral":
		return fmt.Errorf("DCGAN: discriminator normalization %q, want batch, none or spectral", c.DiscriminatorNorm)
	case c.MinibatchStd && c.Preset != "paper":
		return fmt.Errorf("DCGAN: the minibatch standard-deviation channel is for the paper preset's discriminator, not %q", c.Preset)
	}
	switch c.Preset {
	case "mnist":
		if c.ImageSize != 28 {
			return fmt.Errorf("DCGAN preset mnist builds 28×28 images only, not %d×%d (use the paper preset)", c.ImageSize, c.ImageSize)
		}
		return nil
	case "paper":
		_, err := c.upsamplings()
		return err
	}
	return fmt.Errorf("DCGAN: unknown preset %q (want mnist or paper)", c.Preset)
}

// Models builds the generator and discriminator.
func (c Config) Models() (gan.Generator, gan.Discriminator, error) {
	if err := c.Validate(); err != nil {
		return nil, nil, err
	}
	if c.Preset == "mnist" {
		g, d := tutorialModels(c)
		return g, d, nil
	}
	g, d := paperModels(c)
	return g, d, nil
}

// paperModels follows Radford et al. 2015, §3 and Fig. 2: no pooling, no hidden fully connected
// layers (z is projected to 4×4×(BaseWidth·2^(k−1)) by a transposed convolution, as in the
// reference implementations), batch norm in both networks except G's output and D's input
// layers, ReLU in G with a tanh output, LeakyReLU(0.2) in D, 4×4 kernels with stride 2, and a
// 4×4 valid convolution to D's single logit.
func paperModels(c Config) (gan.Generator, gan.Discriminator) {
	k, _ := c.upsamplings()
	bn := func(scope *model.Scope, x *Node) *Node {
		return blocks.BatchNorm(scope, x).Momentum(0.9).Epsilon(1e-5).Done()
	}
	relu := func(x *Node) *Node { return Max(x, ZerosLike(x)) }
	g := func(scope *model.Scope, z *Node) *Node {
		scope = scope.WithInitializer(initializer.RandomNormalFn(scope, c.InitStd))
		b := z.Shape().Dimensions[0]
		width := c.BaseWidth << (k - 1)
		x := Reshape(z, b, 1, 1, c.LatentDim)
		x = blocks.ConvTranspose2D(scope.In("project"), x).Channels(width).KernelSize(4).Strides(1).Padding(blocks.Valid).UseBias(false).Done() // 1×1 → 4×4
		x = relu(bn(scope.In("bn0"), x))
		for i := 1; i < k; i++ {
			width /= 2
			x = blocks.ConvTranspose2D(scope.In("deconv%d", i), x).Channels(width).KernelSize(4).Strides(2).Padding(blocks.Symmetric(1)).UseBias(false).Done()
			x = relu(bn(scope.In("bn%d", i), x))
		}
		x = blocks.ConvTranspose2D(scope.In("deconv%d", k), x).Channels(c.Channels).KernelSize(4).Strides(2).Padding(blocks.Symmetric(1)).UseBias(false).Done()
		return Tanh(x)
	}
	spectral := c.DiscriminatorNorm == "spectral"
	d := func(scope *model.Scope, x *Node) *Node {
		scope = scope.WithInitializer(initializer.RandomNormalFn(scope, c.InitStd))
		width := c.BaseWidth
		for i := range k {
			x = blocks.Conv2D(scope.In("conv%d", i+1), x).Channels(width).KernelSize(4).Strides(2).Padding(blocks.Symmetric(1)).UseBias(false).SpectralNorm(spectral).Done()
			if i > 0 && (c.DiscriminatorNorm == "" || c.DiscriminatorNorm == "batch") {
				x = bn(scope.In("bn%d", i+1), x)
			}
			x = blocks.LeakyReLU(x, 0.2)
			width *= 2
		}
		if c.MinibatchStd {
			x = withMinibatchStd(x)
		}
		x = blocks.Conv2D(scope.In("logit"), x).Channels(1).KernelSize(4).Padding(blocks.Valid).UseBias(false).SpectralNorm(spectral).Done() // 4×4 → 1×1
		return Reshape(x, x.Shape().Dimensions[0], 1)
	}
	return g, d
}

// withMinibatchStd appends to x [B, H, W, C] the channel of MinibatchStd: the mean over the H·W·C
// positions of each one's standard deviation over the batch, the same value everywhere.
func withMinibatchStd(x *Node) *Node {
	dims := x.Shape().Dimensions
	centred := Sub(x, ReduceAndKeep(x, ReduceMean, 0))
	std := Sqrt(AddScalar(ReduceMean(Square(centred), 0), 1e-8)) // [H, W, C]
	channel := BroadcastToDims(Reshape(ReduceAllMean(std), 1, 1, 1, 1), dims[0], dims[1], dims[2], 1)
	return Concatenate([]*Node{x, channel}, -1)
}

// MetaKey is where a DCGAN's Config is recorded in checkpoint and generator files
// (gan.Trainer.Meta), so that `ganlab sample` can rebuild the architecture.
const MetaKey = "dcgan.config"

// Meta returns the Trainer.Meta entry that records c.
func (c Config) Meta() map[string]string {
	b, _ := json.Marshal(c)
	return map[string]string{MetaKey: string(b)}
}

// ConfigFromMeta recovers a Config recorded by Meta; files without one are the tutorial model
// (the MNIST preset).
func ConfigFromMeta(meta map[string]string) (Config, error) {
	s, ok := meta[MetaKey]
	if !ok {
		return MNIST(), nil
	}
	var c Config
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return Config{}, fmt.Errorf("DCGAN configuration in file: %w", err)
	}
	return c, c.Validate()
}

// Resized returns c with the image size, base width and discriminator normalization replaced
// by those that are set (0 or "" keep c's), validated.
func (c Config) Resized(size, width int, discriminatorNorm string) (Config, error) {
	if size < 0 || width < 0 {
		return c, fmt.Errorf("DCGAN: image size %d and width %d must be ≥ 0 (0: the preset's)", size, width)
	}
	if size > 0 {
		c.ImageSize = size
	}
	if width > 0 {
		c.BaseWidth = width
	}
	if discriminatorNorm != "" {
		c.DiscriminatorNorm = discriminatorNorm
	}
	return c, c.Validate()
}

// ErrDataMismatch marks training images that the configured model cannot take.
var ErrDataMismatch = errors.New("the images do not fit the model")

// FitData adapts the model to a training set, or the set to the model. The paper's model takes
// its channels from the data (the preset's 3 are for RGB), and images slightly smaller than its
// 4·2^k size get a thin zero border: MNIST's 28×28 → 32×32 (padded then names the border). A
// wide border (28 → 64) would mostly train on the border: that stays an error, as does any other
// mismatch of size or channels (wrapping ErrDataMismatch). note says what was padded ("" when
// nothing was).
func (c *Config) FitData(set *datasets.ImageSet) (fitted *datasets.ImageSet, note string, err error) {
	if c.Preset == "paper" {
		c.Channels = set.C
		if pad := (c.ImageSize - set.H) / 2; pad > 0 && 8*pad <= c.ImageSize && set.H == set.W && set.H+2*pad == c.ImageSize {
			if set, err = set.Padded(pad); err != nil {
				return nil, "", err
			}
			note = fmt.Sprintf("padding the %d×%d images with a %d-pixel zero border to %d×%d", set.H-2*pad, set.W-2*pad, pad, set.H, set.W)
		}
	}
	if set.H != c.ImageSize || set.W != c.ImageSize || set.C != c.Channels {
		hint := ""
		if c.Preset == "paper" && set.H < c.ImageSize {
			hint = " (-size S pads smaller images when S is the next 4·2^k size, e.g. -size 32 for MNIST)"
		}
		return nil, "", fmt.Errorf("%w: the %s preset builds %d×%d×%d images but %s has %d×%d×%d%s", ErrDataMismatch, c.Preset, c.ImageSize, c.ImageSize, c.Channels, set.Name, set.H, set.W, set.C, hint)
	}
	return set, note, nil
}
