// Package avatar is a laptop-scale version of the bi-layer neural avatar of Zakharov et al.
// (2020), "Fast Bi-layer Neural Synthesis of One-Shot Realistic Head Avatars", trained on the
// procedural talking heads of package datasets (VoxCeleb video cannot be downloaded here).
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
// optionally followed by the texture enhancer: a few gradient steps on T that lower the L1
// distance between the avatar rendered in the source pose and x_s. Then for every target frame
// with landmarks l_t ([Avatar.Render]) only a small inference generator runs (Zakharov et al. 2020, §3.2):
//
//	(x̂_LF, ω, m) = G_inf(raster(l_t); θ)
//	x̂_t          = x̂_LF + m ⊙ warp(T, ω)
//
// a low-frequency image, a warp field ω that moves the texture to the target pose
// (blocks.Warp, bilinear sampling), and a mask m of where the texture applies. The per-frame
// generator can be tiny because the detail (freckles, stripes, hair texture, glasses) comes from
// the warped texture; the [Baseline] kind has no texture and must render everything every frame
// from l_t and θ, so it needs a much wider per-frame network for similar quality.
//
// # Training (Zakharov et al. 2020, §3.3)
//
// Pairs of frames of the same training identity: the source initialises, the target is
// rendered and compared. Losses: pixel L1 (weight 10), a non-saturating adversarial loss from a
// discriminator D(x | l_t) that sees the target landmarks as extra channels (0.1), and feature
// matching on D's layers (1). The paper's perceptual (VGG) and identity losses need pretrained
// networks that cannot be downloaded here; L1 and feature matching stand in for them. Generator
// modules and D are updated simultaneously with Adam(5e-4, β1 = 0.5). A [Trainer] (the model and
// its heads) is a gan.Trainable: gan.Run trains it with the checkpoints, resume, interrupt and
// fault recovery of every ganlab model; batches depend only on the seed and the step.
//
// # Measuring it
//
// [Evaluate] initialises each held-out identity from one source frame and renders other poses:
// PSNR, SSIM, CSIM (cosine similarity of embeddings of output and truth — with the bi-layer
// embedder standing in for the paper's face-recognition network), median init and per-frame
// latency, and parameters per module. `ganlab bench avatar` prints them for the bi-layer model
// and the baseline.
//
// At this scale (64×64, procedural faces, minutes of CPU training) the numbers are not the
// paper's; what carries over is the structure and the trade-off it measures.
package avatar
