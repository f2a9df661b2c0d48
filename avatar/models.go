package avatar

import (
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/ganlab/ganlab/blocks"
)

// Scope names of the modules (the paper's names).
const (
	embedderScope  = "embedder"            // E: source frame + landmarks → identity embedding
	textureScope   = "texture_generator"   // G_tex: once per avatar → high-frequency texture
	adainScope     = "adain_projection"    // embedding → AdaIN scales and biases of the per-frame generator
	inferenceScope = "inference_generator" // G_inf (bi-layer) or the baseline's generator: per frame
	discScope      = "discriminator"       // D(image | landmarks)
)

const slope = 0.2

func conv(scope *model.Scope, x *Node, channels, kernel, stride int) *Node {
	return blocks.Conv2D(scope, x).Channels(channels).KernelSize(kernel).Strides(stride).Padding(blocks.Same).Done()
}

// up doubles the spatial size (transposed convolution 4×4, stride 2).
func up(scope *model.Scope, x *Node, channels int) *Node {
	return blocks.ConvTranspose2D(scope, x).Channels(channels).KernelSize(4).Strides(2).Padding(blocks.Same).Done()
}

func lrelu(x *Node) *Node { return blocks.LeakyReLU(x, slope) }

// embed is the identity embedder E(x_source, l_source) → e [B, EmbedDim]: four stride-2
// convolutions and a global average pool (Zakharov et al. 2020, §3.1: computed once per avatar).
func (c Config) embed(scope *model.Scope, img, lmk *Node) *Node {
	x := Concatenate([]*Node{img, lmk}, -1)
	for i, ch := range []int{16, 32, 64, 64} {
		x = lrelu(conv(scope.In("conv%d", i), x, ch, 3, 2))
	}
	x = ReduceMean(x, 1, 2)
	return layers.DenseWithBias(scope.In("out"), x, c.EmbedDim)
}

// adainWidths are the channel counts of the per-frame generator's AdaIN layers.
func (c Config) adainWidths() []int { return []int{2 * c.Width, 2 * c.Width, c.Width} }

// adainParams projects the embedding to the scales and biases of every AdaIN layer of the
// per-frame generator [B, 2·Σ widths] (once per avatar). Scales are 1 + output, so a zero
// projection is the identity.
func (c Config) adainParams(scope *model.Scope, e *Node) *Node {
	total := 0
	for _, w := range c.adainWidths() {
		total += 2 * w
	}
	return layers.DenseWithBias(scope, e, total)
}

// splitAdain cuts the AdaIN parameter vector into (scale, bias) pairs per layer.
func (c Config) splitAdain(p *Node) [][2]*Node {
	var out [][2]*Node
	at := 0
	for _, w := range c.adainWidths() {
		s := AddScalar(Slice(p, AxisRange(), AxisRange(at, at+w)), 1)
		b := Slice(p, AxisRange(), AxisRange(at+w, at+2*w))
		out = append(out, [2]*Node{s, b})
		at += 2 * w
	}
	return out
}

// texture is the texture generator G_tex (once per avatar): an encoder–decoder over the source
// frame and its landmarks, modulated by the embedding, giving a Size×Size×3 texture in (−1, 1).
// At laptop scale a 64-number embedding cannot say where each freckle is, so unlike the paper
// G_tex also sees the source frame itself (still only once per avatar).
func (c Config) texture(scope *model.Scope, img, lmk, e *Node) *Node {
	x := Concatenate([]*Node{img, lmk}, -1)
	h1 := lrelu(conv(scope.In("enc1"), x, 32, 3, 1))  // S
	h2 := lrelu(conv(scope.In("enc2"), h1, 64, 3, 2)) // S/2
	mod := layers.DenseWithBias(scope.In("mod"), e, 2*64)
	s, b := AddScalar(Slice(mod, AxisRange(), AxisRange(0, 64)), 1), Slice(mod, AxisRange(), AxisRange(64, 128))
	h2 = lrelu(blocks.AdaIN(h2, s, b, 1e-5))
	h2 = lrelu(conv(scope.In("mid"), h2, 64, 3, 1))
	u := lrelu(up(scope.In("dec1"), h2, 32)) // S
	u = Concatenate([]*Node{u, h1}, -1)
	u = lrelu(conv(scope.In("dec2"), u, 32, 3, 1))
	return Tanh(conv(scope.In("out"), u, 3, 3, 1))
}

// perFrame is the per-frame generator shared by both kinds: rasterised target landmarks
// [B, S, S, 4] and AdaIN parameters → features at S×S. Down to S/4, AdaIN-modulated, back up.
func (c Config) perFrame(scope *model.Scope, lmk, adain *Node) *Node {
	ad := c.splitAdain(adain)
	w := c.Width
	x := lrelu(conv(scope.In("down1"), lmk, w, 3, 2)) // S/2
	x = conv(scope.In("down2"), x, 2*w, 3, 2)         // S/4
	x = lrelu(blocks.AdaIN(x, ad[0][0], ad[0][1], 1e-5))
	x = conv(scope.In("mid"), x, 2*w, 3, 1)
	x = lrelu(blocks.AdaIN(x, ad[1][0], ad[1][1], 1e-5))
	x = up(scope.In("up1"), x, w) // S/2
	x = lrelu(blocks.AdaIN(x, ad[2][0], ad[2][1], 1e-5))
	return lrelu(up(scope.In("up2"), x, w)) // S
}

// Frame is what the per-frame generator produces.
type Frame struct {
	Output       *Node // the final image [B, S, S, 3] in about (−1, 1)
	LowFrequency *Node // bi-layer only: the low-frequency layer
	Warped       *Node // bi-layer only: the texture warped to the target pose
	Mask         *Node // bi-layer only: where the warped texture is added [B, S, S, 1]
	Flow         *Node // bi-layer only: the warp field, in pixels [B, S, S, 2]
}

// render runs the per-frame part. Bi-layer (Zakharov et al. 2020, §3.2): G_inf(l_target, AdaIN(e)) gives a
// low-frequency image, a warp field ω and a mask m; the output is
//
//	x̂ = x̂_LF + m ⊙ warp(T, ω),
//
// where T is the avatar's texture. Baseline: the output is the generator's image itself.
func (c Config) render(scope *model.Scope, lmk, adain, texture *Node) Frame {
	h := c.perFrame(scope, lmk, adain)
	if c.Kind == Baseline {
		return Frame{Output: Tanh(conv(scope.In("out"), h, 3, 3, 1))}
	}
	o := conv(scope.In("out"), h, 6, 3, 1)
	lf := Tanh(Slice(o, AxisRange(), AxisRange(), AxisRange(), AxisRange(0, 3)))
	flow := MulScalar(Tanh(Slice(o, AxisRange(), AxisRange(), AxisRange(), AxisRange(3, 5))), float64(c.Size)/4)
	mask := Sigmoid(Slice(o, AxisRange(), AxisRange(), AxisRange(), AxisRange(5, 6)))
	warped := blocks.Warp(texture, flow)
	return Frame{Output: Add(lf, Mul(mask, warped)), LowFrequency: lf, Warped: warped, Mask: mask, Flow: flow}
}

// discriminate is D(x | l): the image with the rasterised landmarks as extra channels, three
// stride-2 convolutions and a patch of logits [B, S/8, S/8, 1]; also returns each layer's
// features for the feature-matching loss.
func discriminate(scope *model.Scope, img, lmk *Node) (logits *Node, features []*Node) {
	x := Concatenate([]*Node{img, lmk}, -1)
	for i, ch := range []int{32, 64, 128} {
		x = lrelu(conv(scope.In("conv%d", i), x, ch, 4, 2))
		features = append(features, x)
	}
	return conv(scope.In("logits"), x, 1, 3, 1), features
}
