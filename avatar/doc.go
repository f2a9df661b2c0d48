// Package avatar is a laptop-scale version of the bi-layer neural avatar of Zakharov et al. (2020),
// "Fast Bi-layer Neural Synthesis of One-Shot Realistic Head Avatars", trained on the procedural
// talking heads of package datasets (VoxCeleb video cannot be downloaded here).
//
// # The split: once per avatar, then per frame
//
// The paper's point is where the compute goes. From one source frame x_s and its landmarks l_s,
// computed once ([Model.Init]):
//
//	e   = E(x_s, l_s)                   the identity embedding (embedder),
//	T   = G_tex(x_s, l_s, e)            a high-frequency texture (texture generator),
//	θ   = P(e)                          the AdaIN parameters of the per-frame generator,
//
// followed by the texture enhancer (§3.2; here DefaultEnhancerSteps gradient steps on T_HF, not a
// trained network) that lower the L1 distance between the avatar rendered in the source pose and
// x_s: the texture's detail is fitted to the one frame that shows it. Then for every target frame with
// landmarks l_t ([Avatar.Render]) only a small inference generator runs (Zakharov et al. 2020,
// §3.2):
//
//	(x̂_LF, m, ω) = G_inf(raster(l_t), raster(l_s); θ)
//	x̂_t          = x̂_LF + m ⊙ HP(warp(T_HF, ω))
//
// a low-frequency image, a gate m ∈ (0, 2) on the texture, and a warp field ω (pixels, blocks.Warp:
// bilinear sampling) that moves the texture's detail to the target pose. G_inf computes the gate
// and the warp at half resolution and upsamples them (blocks.Upsample2x): they are smooth. x̂_LF
// is drawn at full resolution, because it must draw the open mouth, a few pixels across: one
// layer of 8 channels at S that adds the body's features, brought up from S/2 by a transposed
// convolution, to a convolution of the target's rasterised landmarks at S itself, where the
// filled mouth is exact to the pixel. The per-frame generator can be small because the
// identity's detail is to come from the warped texture; the [Baseline] kind has no texture and
// must render everything every frame from l_t and θ, so it needs a much wider per-frame network
// for similar quality. Here the texture carries the hair's stripes and the head's outline; the
// face's own detail (glasses' rims, freckles, face paint) it does not, because the landmarks'
// warp misplaces detail a pixel wide on a turning face (below, and docs/quality.md).
//
// Both kinds share the per-frame generator's body: rasterised landmarks down to S/8 (where a unit
// sees half the frame), AdaIN-modulated by θ, and back up to S/2 with skip connections at S/4 and
// S/2. [Rasterize] draws the 22 landmarks as Gaussian dots, one channel per group (contour, eyes,
// nose, mouth), and the eyes and the mouth a second time as filled ellipses: how far a mouth is
// open is then an area that a small network reads pixel by pixel, rather than the spacing of two
// dots. The bi-layer G_inf reads the source's landmarks next to the target's; its first layer's
// share of them is constant per avatar, so Init computes it once.
//
// # The split, by construction and by supervision
//
// Trained on the output alone, nothing stops the two layers from trading roles: an earlier version
// learned "warp the source photo" (a flat grey x̂_LF, a mask of ones, T ≈ x_s), and its avatars
// could not open their mouths. Three things hold the split here:
//
//   - T_HF = HP(HP(T)), HP(x) = x − blur_σ(x): the texture generator's output high-passed twice
//     with a Gaussian blur (blocks.GaussianBlur, σ = Config.BlurSigma, 2 px at 64²), once per
//     avatar; and the warped texture is high-passed twice again, per frame, because resampling a
//     fine pattern at shifted positions aliases it into low frequencies (a first training run used
//     that within 500 steps to paint the background through the texture). Whatever G_tex draws, the
//     warped texture carries no colours or shading, so the low-frequency image must.
//   - x̂_LF is supervised: an L1 term (Config.LowFrequencyWeight) against the target blurred at σ,
//     except on the eyes and the mouth (the target landmarks' filled ellipses, grown by a pixel,
//     the mouth's by a band of 3–6 pixels more), where it is the target itself. So the per-frame
//     generator, not the texture, draws the face's shape, colours, open mouth and closed eyes:
//     everything an expression changes. There
//     the source frame's detail is of no use (its mouth may be closed where the target's is
//     open), and a blurred mouth is not enough: the truth blurred at σ is only 20.9 dB from the
//     truth inside the mouth's box, where the baseline draws 27.1 dB. The band around the mouth
//     is there because the blurred target holds the open mouth's dark halo over the lips and the
//     chin, which the texture cannot take away where the source's mouth was closed; the mouth's
//     surroundings are plain skin, which x̂_LF can draw sharply (docs/quality.md measures it). The eyes keep the narrow area: the rims of glasses lie around them, and
//     those are identity detail for the texture to bring. The term weighs more than the output's
//     L1 (15 against 10), so that where the two disagree x̂_LF keeps to its target and the texture
//     must bring the detail; with a weaker term (5, the target blurred everywhere) x̂_LF drew the
//     hair's stripes itself, as a generic pattern, and the gate shut the texture out.
//   - ω starts from the warp the landmarks imply ([BaseFlow]: the head's outline and hair move
//     with the contour landmarks' affine map, and the eyes, nose and mouth, and the face's surface
//     inside its outline, by their own residual motion, a thin-plate spline that fades within a
//     few pixels of the features and of the outline), and G_inf adds a
//     residual of at most S/8 pixels, kept smooth by a total-variation term
//     (Config.FlowSmoothnessWeight). Learned from zero, the warp stayed near the identity and the
//     texture generator drew an average face's edges wherever they fell. The texture is only worth
//     adding where the warp is right: detail put back one stripe off costs more than it adds.
//     Trained with a Gaussian interpolation that faded to zero motion away from the landmarks
//     instead (2000 steps, not shipped), the model's x̂_LF alone scored 23.4 dB on the held-out
//     frames and its output, texture added, 22.5 dB. A thin-plate spline through all the landmarks
//     moved the outline with the features, which slide across a turned face while the outline
//     does not: the source's detail warped by it brought the blurred truth from 25.6 to 26.9 dB,
//     and warped by BaseFlow to 28.0 dB. Carrying the features' motion over the whole face, rather
//     than only within a few pixels of them, raised the shipped model from 28.58 to 28.89 dB on
//     the held-out frames, and from 26.89 to 27.04 dB in the open mouth's box.
//
// The gate m weighs the warped texture pixel by pixel. m = 1 + tanh(·) is 1 at initialisation, the
// ungated model, and smooth (drawn at S/2), so m ⊙ (detail) stays detail. Only the product m ⊙ T_HF
// matters, and what the gate learns is where the texture's detail is worth adding: most on the
// hair and the head's outline, and almost nothing on the background and inside the face. There a
// rim of glasses, a freckle or a stripe of face paint is a pixel or two wide, and put back a pixel
// off it costs nearly what it adds: the source's own detail, warped by BaseFlow to other poses,
// adds only 0.45 dB to the blurred truth on those pixels (18.41 → 18.86 dB), against 12 dB in
// the source's own pose (TestBaseFlowCarriesDetail), so all three are lost. On an earlier layout (x̂_LF drawn at half
// resolution, width 24, 4000 steps) the gate was worth 0.4 dB on the held-out frames: 25.99 dB
// with it, 25.60 without.
//
// Where this departs from the paper: its texture lives in a learned UV space and G_inf predicts UV
// coordinates from the target pose alone. Here the texture stays in the source frame's coordinates,
// which needs no canonical face model at this scale, so G_inf also sees the source landmarks (an
// input constant per avatar). The paper adds the warped texture as it is, here the gate weighs it;
// the paper also predicts a segmentation mask, which the procedural background does not need. Its
// LF image is trained only through the output; here the explicit L1 on its own target (blurred,
// sharp on the eyes and the mouth) is what makes the split measurable ([Metrics.LowFrequencyPSNR],
// [Metrics.TextureHFShare]).
//
// # Training (Zakharov et al. 2020, §3.3)
//
// Pairs of frames of the same training identity: the source initialises, the target is rendered and
// compared. Losses: pixel L1 (weight 10), a non-saturating adversarial loss from a discriminator
// D(x | l_t) that sees the target landmarks as extra channels (0.1), and feature matching on D's
// layers (1). In both L1 terms (the output's and, bi-layer, x̂_LF's) the pixels of the expression
// areas, the eyes and the mouth as the target landmarks draw them, weigh 1 + 4
// (Config.ExpressionWeight), for both kinds: they are a few percent of the frame, they are what
// the driver changes, and the source frame says nothing about them. The paper weighs every pixel
// alike. Here, in otherwise identical runs, the weighting raised the bi-layer model's held-out
// PSNR inside the open mouth's box from 23.31 to 24.79 dB at 3000 steps and from 24.72 to 25.77
// dB at 9000 (over the whole frame 27.41 against 27.31 dB at 9000), and the baseline's at 6000
// steps from 25.77 to 26.90 dB. Weighing them 1 + 12 instead (a bi-layer run stopped at 5000
// steps) gained 0.3 dB in the mouth's box and lost 0.4 dB over the whole frame, so the weight
// stayed at 4. The paper's perceptual (VGG) and identity losses need pretrained
// networks that cannot be downloaded here; L1 and feature matching stand in for them. Generator
// modules and D are updated simultaneously with Adam(5e-4, β1 = 0.5). A [Trainer] (the model and
// its heads) is a gan.Trainable: gan.Run trains it with the checkpoints, resume, interrupt and
// fault recovery of every ganlab model; batches depend only on the seed and the step.
//
// # Measuring it
//
// [Evaluate] initialises each held-out identity from one source frame and renders other poses: PSNR
// and SSIM of the output; the split (x̂_LF against the blurred target, and the share of the warped
// texture's energy above the cutoff); PSNR inside the mouth's box on frames with an open mouth; and
// identity similarity (CSIM) from an independent judge: an identity network trained by ganlab on
// the 400 training identities (eval.Classifier on datasets "heads-identity"), never the avatar's
// own embedder. CSIM is reported against the true frame of the same person and against another
// person in the same pose; only their difference says the avatar kept its person. Also median init
// (the texture enhancer included) and per-frame latency, and parameters per module. `ganlab bench
// avatar` prints them for the bi-layer model and the baseline (-enhance 0: without the enhancer).
//
// At this scale (64×64, procedural faces, minutes of CPU training) the numbers are not the paper's;
// what carries over is the structure and the trade-off it measures.
package avatar
