// Package dcgan builds deep convolutional GANs (Radford, Metz & Chintala 2015) that plug into
// gan.Trainer.
//
// # The architecture guidelines (Radford et al. 2015, §3; the notes' §2.1, docs/equations.md)
//
//   - Replace pooling by strided convolutions in D and fractionally strided (transposed)
//     convolutions in G (blocks.Conv2D, blocks.ConvTranspose2D): the networks learn their own
//     down- and up-sampling.
//   - Batch normalisation in both networks (blocks.BatchNorm), except at G's output and D's input.
//   - No fully connected hidden layers: z is projected to a small spatial tensor, D ends in a
//     convolution to one logit.
//   - ReLU in G with tanh at the output (images in [−1, 1]); LeakyReLU(0.2) in D.
//   - Weights N(0, 0.02²), Adam with learning rate 2e-4 and β1 = 0.5.
//
// [CheckRules] builds a model's G and D in one graph and checks the first five on the operations
// it contains: each weighted layer's input and output shapes, whether batch statistics normalize
// it, and the activation that follows. The TF tutorial's model departs from three (its Dense
// projection and logit, no batch norm in D, LeakyReLU in G); the paper's presets from none.
//
// # Presets
//
// [MNIST] is the TF DCGAN tutorial's 28×28×1 model (z(100) → Dense 7·7·256 → ConvT 128 → ConvT
// 64 → ConvT 1, D: two 5×5 stride-2 convolutions with dropout → logit); it departs from the
// guidelines where the tutorial does (Dense layers at both ends, dropout instead of batch norm in
// D, LeakyReLU in G). [Paper64] is
// the paper's Figure 2 generator
//
//	z(100) → 4×4×1024 → 8×8×512 → 16×16×256 → 32×32×128 → 64×64×3
//
// and its mirror discriminator, at any size 4·2^k and any base width. The shipped pretrained
// DCGAN-MNIST generator is this architecture at 32×32×1 and base width 128
// (z → 4×4×512 → 8×8×256 → 16×16×128 → 32×32×1), trained on MNIST padded to 32×32
// (datasets.ImageSet.Padded): with batch norm in D it trains much further per step than the
// tutorial model. Config.DiscriminatorNorm swaps D's batch norm for nothing or for spectral
// normalization (SN-GAN, blocks.SpectralNormalize), to study why D's normalization matters:
// measured on MNIST (README), without it training collapsed to one digit, and with spectral
// normalization at the DCGAN learning rates it learned far more slowly.
// Config.MinibatchStd adds ProGAN's minibatch standard-deviation channel before D's last layer, a
// guard against collapse. [LoadGenerator] reads a generator file (pretrained.Path("dcgan-mnist.gob"),
// or "dcgan-heads.gob": [Paper64] at base width 64 on the procedural talking heads) and
// [LoadAveragedGenerator] the mean of several checkpoints of one run.
//
// Training objective and loop are package gan's (Eq. 1 of docs/equations.md, Algorithm 1, or the tutorial's
// simultaneous update); samples are measured by package eval.
package dcgan
