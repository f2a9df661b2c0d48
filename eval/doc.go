// Package eval measures generated images with a classifier trained by ganlab itself (no
// pretrained network can be downloaded here), in the spirit of TF-GAN's "classifier metrics":
//
//   - Fréchet classifier distance ([FrechetDistance]): the Fréchet distance between Gaussians fitted
//     to the classifier's penultimate features of generated and of real test images,
//     ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^½) — FID with our classifier instead of Inception;
//   - kernel classifier distance ([KernelDistance]): KID on the same features, the unbiased
//     squared MMD under a cubic polynomial kernel, averaged over disjoint subsets of 1000;
//   - classifier score ([ClassifierScore]): exp(E_x KL(p(y|x) ‖ p(y))), the Inception-score formula
//     with our classifier: high when each sample is confidently one class and the classes are
//     balanced (at most the number of classes);
//   - the class histogram and its smallest share (mode coverage);
//   - accuracy against requested labels (conditional GANs);
//   - the mean distance between two images of a set ([MeanPairDistance]): it falls when a generator
//     collapses.
//
// A classifier trained on a set that labels attributes rather than classes
// (datasets.ImageSet.Attributes, such as the talking heads' hair, skin, glasses…) has one softmax
// per attribute. Its reports have no classifier score; their histogram holds each attribute value's
// share, and [WriteCoverage] sets those shares beside the real images' with their ratios: the
// attribute coverage of a generator.
//
// [Report] computes all of them for a batch of images, with standard errors: the bootstrap's
// for the score and the Fréchet distance (BootstrapRounds resamples of the images), the spread
// over the disjoint subsets for the kernel distance, the binomial one for accuracies. Compare with the same report on as many real training images, printed beside it by
// `ganlab eval`, for scale. The Fréchet distance is biased upward at small n: it compares only
// sets of the same n, and below SmallN samples WriteTable warns not to rank models by it (at
// n = 2000 the shipped generator's 7.62 ± 0.51 sits below real images' 8.72 ± 0.64). The kernel
// distance has no such bias: its expectation does not depend on n, so it ranks sets of any size.
package eval
