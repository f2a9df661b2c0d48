package gan

import (
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
)

// The losses, one function per equation, on D's logits ℓ (D = σ(ℓ)). With softplus(u) =
// log(1 + eᵘ), −log σ(ℓ) = softplus(−ℓ) and −log(1 − σ(ℓ)) = softplus(ℓ): the same values as
// the formulas in probabilities, without their overflow at saturated D. gan.CrossEntropyLosses
// computes the same losses from probabilities in float64; the tests compare the two.

// CrossEntropy is Eq. 14 (docs/equations.md) per example, L = −y log p − (1 − y) log(1 − p) with p = σ(logits)
// and label y ∈ {0, 1}, averaged over the batch.
func CrossEntropy(logits *Node, label float64) *Node {
	switch label { // the two labels the GAN losses use, without a term multiplied by 0
	case 1:
		return ReduceAllMean(Softplus(Neg(logits)))
	case 0:
		return ReduceAllMean(Softplus(logits))
	}
	return Add(MulScalar(ReduceAllMean(Softplus(Neg(logits))), label), MulScalar(ReduceAllMean(Softplus(logits)), 1-label))
}

// DiscriminatorLoss is Eq. 15 (docs/equations.md) averaged over a batch: the cross-entropy of real examples
// labelled 1 plus that of generated examples labelled 0,
//
//	L_D = −(1/m) Σ [log D(x_i) + log(1 − D(G(z_i)))] = −V̂(D, G),
//
// so descending it is the ascent of Eq. 16. It is also the TF DCGAN tutorial's
// discriminator_loss (BinaryCrossentropy(from_logits) of ones on real, zeros on fake), and,
// fed D(x|y)'s logits, the discriminator's side of the conditional game (Eq. 18).
func DiscriminatorLoss(realLogits, fakeLogits *Node) *Node {
	return Add(CrossEntropy(realLogits, 1), CrossEntropy(fakeLogits, 0))
}

// MinimaxGeneratorLoss is the generator's objective of Eq. 17, (1/m) Σ log(1 − D(G(z_i))),
// which the generator descends. It saturates: when D confidently rejects G's samples early in
// training, its gradient vanishes.
func MinimaxGeneratorLoss(fakeLogits *Node) *Node {
	return Neg(CrossEntropy(fakeLogits, 0))
}

// NonSaturatingGeneratorLoss is −(1/m) Σ log D(G(z_i)): the same fixed point as Eq. 17 with
// strong gradients where D rejects G's samples (Goodfellow et al. 2014, §3). It is the TF DCGAN
// tutorial's generator_loss (BinaryCrossentropy of ones on fake).
func NonSaturatingGeneratorLoss(fakeLogits *Node) *Node {
	return CrossEntropy(fakeLogits, 1)
}

// MatchingAwareDiscriminatorLoss is DiscriminatorLoss for a conditional D that also sees real
// examples with wrong labels as fakes, weighted ½ with the generated ones (Reed et al. 2016):
//
//	L_D = −mean log D(x|y) − ½ mean log(1 − D(G(z|y)|y)) − ½ mean log(1 − D(x|y′)),  y′ ≠ y.
func MatchingAwareDiscriminatorLoss(realLogits, fakeLogits, wrongLabelLogits *Node) *Node {
	return Add(CrossEntropy(realLogits, 1), MulScalar(Add(CrossEntropy(fakeLogits, 0), CrossEntropy(wrongLabelLogits, 0)), 0.5))
}

// LeastSquaresDiscriminatorLoss is LSGAN's (Mao et al. 2017) discriminator loss on raw outputs:
// ½ mean (D(x) − 1)² + ½ mean D(G(z))²; with wrongLabel outputs (matching-aware, nil
// otherwise) the fake term is shared ½–½ between generated and wrongly-labelled examples.
func LeastSquaresDiscriminatorLoss(real, fake, wrongLabel *Node) *Node {
	fakeTerm := ReduceAllMean(Square(fake))
	if wrongLabel != nil {
		fakeTerm = MulScalar(Add(fakeTerm, ReduceAllMean(Square(wrongLabel))), 0.5)
	}
	return MulScalar(Add(ReduceAllMean(Square(AddScalar(real, -1))), fakeTerm), 0.5)
}

// LeastSquaresGeneratorLoss is LSGAN's generator loss: ½ mean (D(G(z)) − 1)².
func LeastSquaresGeneratorLoss(fake *Node) *Node {
	return MulScalar(ReduceAllMean(Square(AddScalar(fake, -1))), 0.5)
}

// HingeDiscriminatorLoss is the hinge loss of Lim & Ye (2017) and SN-GAN/BigGAN on raw outputs:
// mean max(0, 1 − D(x)) + mean max(0, 1 + D(G(z))); with wrongLabel outputs (matching-aware, nil
// otherwise) the fake term is shared ½–½ between generated and wrongly-labelled examples. D
// stops pushing an example once it is beyond the margin, which bounds how far it can win.
func HingeDiscriminatorLoss(real, fake, wrongLabel *Node) *Node {
	fakeTerm := ReduceAllMean(MaxScalar(AddScalar(fake, 1), 0))
	if wrongLabel != nil {
		fakeTerm = MulScalar(Add(fakeTerm, ReduceAllMean(MaxScalar(AddScalar(wrongLabel, 1), 0))), 0.5)
	}
	return Add(ReduceAllMean(MaxScalar(OneMinus(real), 0)), fakeTerm)
}

// HingeGeneratorLoss is the generator's side of the hinge game: −mean D(G(z)).
func HingeGeneratorLoss(fake *Node) *Node {
	return Neg(ReduceAllMean(fake))
}
