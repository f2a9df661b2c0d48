// Package gan implements the generative adversarial network of Goodfellow et al. (2014): its
// theory, checked by numerical integration, and its training algorithm, for any generator and
// discriminator built with GoMLX.
//
// # The game (Eq. 1–6; equations are numbered as in docs/equations.md)
//
// A generator G maps noise z ~ p_z to examples; a discriminator D estimates the probability that
// an example came from the data rather than from G. They play
//
//	min_G max_D V(D, G) = E_{x~p_data}[log D(x)] + E_{z~p_z}[log(1 − D(G(z)))]
//	                    = ∫ p_data(x) log D(x) + p_g(x) log(1 − D(x)) dx.
//
// [ValueFunction] integrates V for given densities and D.
//
// # The optimal discriminator and the JS identity (Eq. 7–13)
//
// For fixed G, y ↦ a log y + b log(1 − y) peaks at y = a/(a+b), so the best discriminator is
// D*(x) = p_data(x) / (p_data(x) + p_g(x)) ([OptimalDiscriminator], Proposition 1). Substituting
// it, C(G) = V(D*, G) = −log 4 + 2·JS(p_data ‖ p_g) (Theorem 1): the generator's best response
// minimizes the Jensen–Shannon divergence, and the global minimum −log 4 is reached only at
// p_g = p_data. [CheckIdentity] computes both sides by different integrals ([ValueFunction] at
// [OptimalDiscriminator]; [JS] from its definition through [KL] and the mixture), and
// [CheckPair] adds [MonteCarloValue] (from samples) and [TrainedValue] (a discriminator trained on
// samples, which approaches V(D*, G) from below); `ganlab theory` prints them.
//
// # Losses as cross-entropies (Eq. 14–15)
//
// With label 1 for data and 0 for generated examples, the discriminator's binary cross-entropy
// on a batch is −V̂(D, G) ([CrossEntropyLosses], in probabilities). The training graphs use one
// function per equation, on D's logits ℓ (exact, never log(0)): [CrossEntropy] (Eq. 14),
// [DiscriminatorLoss] (Eq. 15 over a batch, also the TF tutorial's discriminator_loss),
// [MinimaxGeneratorLoss] (Eq. 17), [NonSaturatingGeneratorLoss] (the tutorial's
// generator_loss), [MatchingAwareDiscriminatorLoss] (Eq. 18 with wrong labels as fakes) and the
// LSGAN pair.
//
// # Model, Trainer, Run (Eq. 16–17; Goodfellow et al., Algorithm 1)
//
// A [Model] is a generator and, optionally, a discriminator with their weights: what loaders
// return and what you sample from ([Model.Sample], [Model.Generate], [Model.Discriminate]; the
// Labeled variants for a conditional model, Mirza & Osindero's G(z|y) and D(x|y)). A [Trainer]
// wraps a Model with its data and two optimizers ([Adam], or the plain [GradientSteps] that
// Eq. 16–17 write, under which the minimax loss freezes a DCGAN: notebook 03 §3) and alternates
// K discriminator updates on m real and m generated examples (gradient ascent on V, Eq. 16) with
// one generator update (Eq. 17) using the [Minimax] loss log(1 − D(G(z))), the [NonSaturating]
// −log D(G(z)) (the paper's practical advice, default), or [LeastSquares]. [Config] holds the
// hyperparameters; Config.Simultaneous switches to the TF DCGAN tutorial's single simultaneous
// update. Every step is recorded in [History] (losses, mean D(x) and D(G(z)), gradient norms,
// evaluation metrics); a NaN/Inf loss stops training with a [DivergenceError].
//
// Two ways to sample with averaged weights rather than the last step's: Config.EMADecay keeps an
// exponential moving average of the generator's weights during training ([Model.UseMovingAverage];
// the dcgan and cgan loaders use it when a checkpoint holds one), and [Model.LoadAverage] takes
// the mean of a few saved checkpoints. Both recompute the batch-norm statistics for the weights
// they put in place ([Model.RecalibrateBatchNorm]).
//
// The learning rates live in the Store, so a resumed run can change them ([Trainer.SetLearningRates],
// a step-wise decay), and Config.LRDecayFrom/LRDecayTo make both fall linearly over a range of
// steps ([Config.RateScale]); docs/quality.md measures both against the moving average.
//
// [Run] is the training loop that `ganlab train`, the notebooks and the avatar share: it saves
// checkpoints that resume bit-exactly (every variable, both optimizers, the noise RNG, the data
// position), refuses to overwrite a run, saves and stops on Ctrl-C, names the last good
// checkpoint on a divergence, and survives the go backend's rare memory faults by restoring the
// newest checkpoint. Anything with Step, TrainOneStep, SaveCheckpoint and LoadCheckpoint
// ([Trainable]) can be run.
//
// # Models and analysis
//
// [MLP] builds the fully connected generators and discriminators used for 1-D and 2-D toy data
// and MNIST ([Toy1DModels], [Toy2DModels], [MNISTMLPModels]). [Model.Analyze1D] takes the
// Figure 1 snapshot of a 1-D GAN (p_data, estimated p_g, D, D*, JS, |D − D*|) and
// [Figure1Recorder] takes four of them during a run; [CoverModes] counts the modes of a 2-D
// mixture that a generator covers ([ModeRecorder] during a run).
package gan
