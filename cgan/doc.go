// Package cgan implements conditional adversarial nets (Mirza & Osindero 2014): a generator
// G(z|y) and a discriminator D(x|y) that both see a class label y, so that one can ask the
// generator for "a 7" or "a sneaker".
//
// # The conditional game (Eq. 18, docs/equations.md)
//
// The value function of Goodfellow et al. (Eq. 1) with every term conditioned on y:
//
//	min_G max_D V(D, G) = E_{x~p_data}[log D(x|y)] + E_{z~p_z}[log(1 − D(G(z|y)|y))].
//
// D is trained to accept a real image only together with its own label. An image that looks
// real but carries the wrong label is as much a fake as a bad image, so G cannot earn D's
// approval by drawing any digit: it must draw the digit it was asked for. [FourCases] measures
// exactly this on a trained pair: D's output for real and generated images with matching and
// mismatched labels; only "real image, right label" should be accepted.
//
// # Where the label enters
//
// Two architectures ([Config].Arch):
//
//   - "mlp", as in Mirza & Osindero and PyTorch-GAN's cgan.py: the one-hot label is concatenated
//     to z before G's first layer and to the flattened image before D's first layer.
//   - "conv", built from the DCGAN models (package dcgan): G is the DCGAN generator fed
//     [z, onehot(y)]; D is the DCGAN discriminator fed the image with C extra channels, the
//     one-hot label broadcast over every pixel, so that each of its filters can respond to the
//     label from the first layer on.
//
// # Rejecting the wrong label: a matching-aware discriminator
//
// Plain CGAN training shows D real images only with their own labels and generated images only
// with the labels they were generated for, so nothing teaches D to reject a real image with a
// wrong label: near equilibrium its outputs hover around ½ whatever the label. The
// matching-aware discriminator of Reed et al. (2016, GAN-CLS) adds real images with a wrong label
// y′ as a second kind of fake:
//
//	L_D = −log D(x|y) − ½[log(1 − D(G(z|y)|y)) + log(1 − D(x|y′))],   y′ ≠ y,
//
// (gan.Config.MatchingAware, on by default in [Config.GanConfig] and `ganlab train cgan`).
//
// Training is the same [gan.Trainer] on a conditional [gan.Model] ([gan.NewConditionalTrainer]):
// each real batch comes with its labels, and each generated example gets a label drawn uniformly from
// the classes. A label outside [0, classes) is an error everywhere, never wrapped silently.
//
// # Measuring it
//
// [ClassGrid] draws one row per class with the same z down each column, so the style stays
// fixed while the class changes. The label accuracy of a classifier on generated samples
// (package eval, [LabelAccuracy]) says whether G obeys y; the classifier score and the Fréchet
// classifier distance say whether the samples look like the data.
package cgan
