// Package gan implements the generative adversarial network of Goodfellow et al. (2014): its
// theory, checked by numerical integration, and its training algorithm, for any generator and
// discriminator built with GoMLX.
//
// # The game (seed Eq. 1–6)
//
// A generator G maps noise z ~ p_z to examples; a discriminator D estimates the probability that
// an example came from the data rather than from G. They play
//
//	min_G max_D V(D, G) = E_{x~p_data}[log D(x)] + E_{z~p_z}[log(1 − D(G(z)))]
//	                    = ∫ p_data(x) log D(x) + p_g(x) log(1 − D(x)) dx.
//
// [ValueFunction] integrates V for given densities and D.
//
// # The optimal discriminator and the JS identity (seed Eq. 7–13)
//
// For fixed G, y ↦ a log y + b log(1 − y) peaks at y = a/(a+b), so the best discriminator is
// D*(x) = p_data(x) / (p_data(x) + p_g(x)) ([OptimalDiscriminator], Proposition 1). Substituting
// it, C(G) = V(D*, G) = −log 4 + 2·JS(p_data ‖ p_g) (Theorem 1): the generator's best response
// minimizes the Jensen–Shannon divergence, and the global minimum −log 4 is reached only at
// p_g = p_data. [CheckIdentity] computes both sides independently; `ganlab theory` prints them.
//
// # Losses as cross-entropies (seed Eq. 14–15)
//
// With label 1 for data and 0 for generated examples, the discriminator's binary cross-entropy
// on a batch is −V̂(D, G) ([CrossEntropyLosses]). The [Trainer] computes it from D's logits ℓ as
// softplus(−ℓ_real) + softplus(ℓ_fake), which is exact and never takes log(0).
//
// # Training (seed Eq. 16–17; Algorithm 1)
//
// [Trainer] alternates K discriminator updates on m real and m generated examples (gradient
// ascent on V, Eq. 16) with one generator update (Eq. 17) using the [Minimax] loss
// log(1 − D(G(z))), the [NonSaturating] −log D(G(z)) (the paper's practical advice, default),
// or [LeastSquares]. [Config] holds the hyperparameters; Config.Simultaneous switches to the TF
// DCGAN tutorial's single simultaneous update. Every step is recorded in [History] (losses,
// mean D(x) and D(G(z)), gradient norms, evaluation metrics); [Trainer.Save] and [Trainer.Load]
// checkpoint everything needed to resume bit-exactly, and a NaN/Inf loss stops training with a
// [DivergenceError].
//
// # Models and analysis
//
// [MLP] builds the fully connected generators and discriminators used for 1-D and 2-D toy data
// and MNIST ([Toy1DModels], [Toy2DModels], [MNISTMLPModels]). [Trainer.Analyze1D] takes the
// Figure 1 snapshot of a 1-D GAN (p_data, estimated p_g, D, D*, JS, |D − D*|); [CoverModes]
// counts the modes of a 2-D mixture that a generator covers.
package gan
