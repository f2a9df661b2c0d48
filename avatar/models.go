package avatar

import (
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/ganlab/ganlab/blocks"
	"github.com/ganlab/ganlab/datasets"
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

// lowFrequencyChannels is the width of the bi-layer generator's full-resolution layer, the one
// that draws x̂_LF. At batch 1 it costs no measurable time (the frame is bound by the number of
// operations, not their size): 1.05–1.07 ms a frame against 1.12–1.14 ms for a single transposed
// convolution to RGB, untrained models alternating on a quiet machine.
const lowFrequencyChannels = 8

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

// adainWidths are the channel counts of the per-frame generator's AdaIN layers, in the order
// lowResolution applies them.
func (c Config) adainWidths() []int {
	w := c.Width
	return []int{2 * w, 2 * w, 2 * w, 2 * w, w}
}

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
// frame and its landmarks, modulated by the embedding, whose output corrects the source frame:
// T = x_s + G_tex(x_s, l_s, e), Size×Size×3, of which the model keeps the high frequencies
// (highPass).
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
	// A correction of the source frame rather than an image from nothing: the texture starts as
	// the source's own detail (HP(T) = HP(x_s) at initialisation), so the warp has something to
	// move from the first step. Drawn from nothing, behind a tanh, it went flat within 500 steps
	// (the high-pass of a constant is zero, and so is the gradient through a saturated tanh).
	return Add(img, conv(scope.In("out"), u, 3, 3, 1))
}

// perFrame is the baseline's per-frame generator: rasterised landmarks [B, S, S, L] and AdaIN
// parameters → features at S×S: lowResolution, then one more transposed convolution.
func (c Config) perFrame(scope *model.Scope, lmk, adain *Node) *Node {
	return lrelu(up(scope.In("up3"), c.lowResolution(scope, lmk, nil, adain), c.Width)) // [B, S, S, Width]
}

// sourceTerm is the source landmarks' share of the bi-layer per-frame generator's first layer
// [B, S/2, S/2, Width]. G_inf reads the target's and the source's rasterised landmarks side by
// side, and a convolution of two stacked inputs is the sum of a convolution of each: the
// source's part is constant per avatar, so [Model.Init] computes it once and a frame convolves
// only its own landmarks.
func (c Config) sourceTerm(scope *model.Scope, srcLmk *Node) *Node {
	return blocks.Conv2D(scope.In("down1_source"), srcLmk).Channels(c.Width).KernelSize(3).Strides(2).Padding(blocks.Same).UseBias(false).Done()
}

// lowResolution is the per-frame generator's body: down to S/8, AdaIN-modulated, back up to S/2
// with skip connections at S/4 and S/2 [B, S/2, S/2, Width]. srcTerm (bi-layer; nil for the
// baseline) is sourceTerm of the avatar's source landmarks, added to the first layer. The S/8
// level is there for its reach: a unit there sees 31×31 px of a 64² frame and an output pixel
// ≈ 47×47, the whole face, so the generator can tell the forehead and hair from the background
// although no landmark lies there; the skips keep the landmarks' own detail (an open mouth)
// close to the output.
func (c Config) lowResolution(scope *model.Scope, lmk, srcTerm, adain *Node) *Node {
	ad := c.splitAdain(adain)
	mod := func(i int, x *Node) *Node { return lrelu(blocks.AdaIN(x, ad[i][0], ad[i][1], 1e-5)) }
	w := c.Width
	x1 := conv(scope.In("down1"), lmk, w, 3, 2) // [B, S/2, S/2, w]
	if srcTerm != nil {
		x1 = Add(x1, srcTerm)
	}
	x1 = lrelu(x1)
	x2 := mod(0, conv(scope.In("down2"), x1, 2*w, 3, 2)) // [B, S/4, S/4, 2w]
	x3 := mod(1, conv(scope.In("down3"), x2, 2*w, 3, 2)) // [B, S/8, S/8, 2w]
	x3 = mod(2, conv(scope.In("mid"), x3, 2*w, 3, 1))    // [B, S/8, S/8, 2w]
	u := Add(mod(3, up(scope.In("up1"), x3, 2*w)), x2)   // [B, S/4, S/4, 2w]: plus the landmarks' detail at S/4
	return Add(mod(4, up(scope.In("up2"), u, w)), x1)    // [B, S/2, S/2, w]: plus the landmarks at S/2
}

// expressionAreas is where the expression changes the picture [B, S, S, 1] ∈ [0, 1]: the target
// landmarks' filled ellipses of the eyes and the mouth (the last channels of lmk, [Rasterize]),
// grown by about a pixel so that their edges count as inside.
func (c Config) expressionAreas(lmk *Node) *Node {
	groups := len(datasets.HeadLandmarkGroups)
	areas := ReduceAndKeep(Slice(lmk, AxisRange(), AxisRange(), AxisRange(), AxisRange(groups, LandmarkChannels)), ReduceMax, -1) // [B, S, S, 1]
	return ClipScalar(MulScalar(blocks.GaussianBlur(areas, float64(c.Size)/64), 2), 0, 1)
}

// sharpAreas is where x̂_LF's target is the frame itself rather than its blur [B, S, S, 1] ∈
// [0, 1]: the expression areas (areas, expressionAreas of lmk), and around the mouth a wider
// zone, out to 3–6 pixels beyond its edge at 64². Blurred at σ, an open mouth spreads a dark
// halo over the lips and the chin around it, which the warped texture cannot take away where the
// source's mouth was closed; the mouth's surroundings are plain skin, which x̂_LF can draw
// sharply itself (docs/quality.md measures both choices). The eyes keep the narrow
// area: the rims of glasses lie a few pixels around them, and those are identity detail that
// the texture brings.
func (c Config) sharpAreas(lmk, areas *Node) *Node {
	groups := len(datasets.HeadLandmarkGroups)
	mouth := Slice(lmk, AxisRange(), AxisRange(), AxisRange(), AxisRange(groups+1, groups+2)) // the filled mouth [B, S, S, 1]
	around := ClipScalar(MulScalar(blocks.GaussianBlur(mouth, 1.5*c.BlurSigma()), 8), 0, 1)   // 1 out to ≈ 1.5σ beyond its edge, 0.2 at 3σ
	return Max(areas, around)
}

// lowFrequencyTarget is what x̂_LF is trained towards [B, S, S, 3]: the target frame img blurred
// at BlurSigma, except in sharp (sharpAreas of the target's landmarks), where it is the target
// itself. There the expression changes what the source frame showed (an open mouth, closed
// lids), so the warped texture has no detail to bring and x̂_LF must draw it; the gate learns to
// shut the texture out.
func (c Config) lowFrequencyTarget(img, sharp *Node) *Node {
	blurred := blocks.GaussianBlur(img, c.BlurSigma())
	return Add(blurred, Mul(sharp, Sub(img, blurred)))
}

// pixelWeights is the weight of each pixel in the generator's L1 terms [B, S, S, 1]:
// 1 + ExpressionWeight in the expression areas (expressionAreas), 1 elsewhere.
func (c Config) pixelWeights(areas *Node) *Node {
	return OnePlus(MulScalar(areas, c.ExpressionWeight))
}

// highPass is the texture's high-frequency layer: T minus its Gaussian blur at the split's
// cutoff (Config.BlurSigma). Whatever G_tex draws, the warped texture cannot carry the face's
// colours or shading: those must come from the low-frequency image.
func (c Config) highPass(texture *Node) *Node {
	return Sub(texture, blocks.GaussianBlur(texture, c.BlurSigma()))
}

// Frame is what the per-frame generator produces.
type Frame struct {
	Output       *Node // the final image [B, S, S, 3] in about (−1, 1)
	LowFrequency *Node // bi-layer only: the low-frequency layer x̂_LF [B, S, S, 3]
	Warped       *Node // bi-layer only: the gated high-frequency texture warped to the target pose [B, S, S, 3]
	Gate         *Node // bi-layer only: the texture's gate m ∈ (0, 2) [B, S, S, 1]
	Flow         *Node // bi-layer only: the warp field ω, in pixels [B, S, S, 2]
}

// render runs the per-frame part. Bi-layer (Zakharov et al. 2020, §3.2):
// G_inf(l_target, l_source; AdaIN(e)) gives a low-frequency image, a gate m and a warp field ω, and
//
//	x̂ = x̂_LF + m ⊙ highPass(warp(T_HF, ω)),
//
// where T_HF is the avatar's high-frequency texture, aligned with the source frame (given as its
// blocks.CornerTable, table, built once per avatar since every frame warps it): ω says where
// in the source each target pixel's detail is. It starts from baseFlow [B, S/2, S/2, 2], the warp
// the landmarks imply (BaseFlow), and G_inf, which sees the source landmarks (srcTerm, constant
// per avatar) next to the target's, adds a residual. Baseline: the output is the generator's
// image itself.
func (c Config) render(scope *model.Scope, lmk, srcTerm, baseFlow, adain, table *Node) Frame {
	if c.Kind == Baseline {
		h := c.perFrame(scope, lmk, adain)
		return Frame{Output: Tanh(conv(scope.In("out"), h, 3, 3, 1))}
	}
	h := c.lowResolution(scope, lmk, srcTerm, adain) // [B, S/2, S/2, Width]
	// x̂_LF is drawn at full resolution: an open mouth is a few pixels across, and even the truth,
	// halved and upsampled again, is only 25.1 dB from itself inside the mouth's box, where the
	// baseline draws 27.1 dB. One layer at S: the body's features brought up from S/2, plus the
	// target's rasterised landmarks read at S itself, where the filled mouth and eyes are exact to
	// the pixel (through the body they arrive halved). Its L1 term against lowFrequencyTarget keeps
	// the rest of it low-frequency.
	// [B, S, S, 8] each:
	fromBody := up(scope.In("low_frequency"), h, lowFrequencyChannels)
	fromLandmarks := blocks.Conv2D(scope.In("low_frequency_landmarks"), lmk).Channels(lowFrequencyChannels).KernelSize(3).Padding(blocks.Same).UseBias(false).Done()
	lf := Tanh(conv(scope.In("low_frequency_out"), lrelu(Add(fromBody, fromLandmarks)), 3, 3, 1)) // [B, S, S, 3]
	// The gate and the warp are smooth: drawn at S/2 and upsampled together, as one image of
	// three channels (m, ω_y, ω_x).
	//  - m = 1 + tanh(·) ∈ (0, 2), 1 at initialisation (the ungated model): how much of the
	//    warped detail to add at each pixel. The source's detail is not equally useful everywhere
	//    in the target (where the warp is off, where the expression changed); training decides
	//    where (avatar/doc.go says what it learned). Smooth, so m ⊙ (detail) stays detail.
	//  - ω = the landmarks' own warp (BaseFlow) + a learned residual of at most S/8 pixels.
	o := Tanh(conv(scope.In("out"), h, 3, 3, 1)) // [B, S/2, S/2, 3]
	g := o.Graph()
	base := Pad(baseFlow, Scalar(g, baseFlow.DType(), 1), compute.PadAxis{}, compute.PadAxis{}, compute.PadAxis{}, compute.PadAxis{Start: 1}) // (1, ω_base)
	// o scaled to (m − 1, ω − ω_base): 1 for the gate, S/8 pixels for each coordinate of the warp.
	scales := blocks.PerPixel(g, o.DType(), []float64{1, float64(c.Size) / 8, float64(c.Size) / 8}, c.Size/2, c.Size/2, 3)
	fields := blocks.Upsample2x(Add(base, Mul(o, scales))) // [B, S, S, 3]
	gate := Slice(fields, AxisRange(), AxisRange(), AxisRange(), AxisRange(0, 1))
	flow := Slice(fields, AxisRange(), AxisRange(), AxisRange(), AxisRange(1, 3))
	// High-pass again after the warp: resampling a fine pattern (a checkerboard) at shifted
	// positions aliases it into low frequencies, a way round the split that a first training
	// run found within 500 steps. Twice, as for the texture.
	warped := Mul(gate, c.highPass(c.highPass(blocks.WarpTable(table, flow, 3))))
	return Frame{Output: Add(lf, warped), LowFrequency: lf, Warped: warped, Gate: gate, Flow: flow}
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
