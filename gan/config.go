package gan

import (
	"fmt"
	"math"
	"strings"
)

// GeneratorLoss selects the generator's objective.
type GeneratorLoss int

const (
	// NonSaturating minimizes −log D(G(z)) (Goodfellow et al. 2014, §3: "rather than training G to
	// minimize log(1 − D(G(z))) we can train G to maximize log D(G(z))"): same fixed point,
	// much stronger gradients early, when D rejects G's samples with confidence. The default.
	NonSaturating GeneratorLoss = iota
	// Minimax minimizes log(1 − D(G(z))): the value function itself (Eq. 17, docs/equations.md). It saturates
	// when D(G(z)) ≈ 0.
	Minimax
	// LeastSquares is LSGAN (Mao et al. 2017): D minimizes ½(D(x) − 1)² + ½D(G(z))², G minimizes
	// ½(D(G(z)) − 1)², on the discriminator's raw output (no sigmoid).
	LeastSquares
	// Hinge is the hinge game (Lim & Ye 2017; SN-GAN, BigGAN): D minimizes mean max(0, 1 − D(x))
	// + mean max(0, 1 + D(G(z))), G minimizes −mean D(G(z)), on the raw output.
	Hinge
)

var lossNames = map[GeneratorLoss]string{NonSaturating: "nonsaturating", Minimax: "minimax", LeastSquares: "leastsquares", Hinge: "hinge"}

func (l GeneratorLoss) String() string { return lossNames[l] }

// ParseGeneratorLoss accepts "nonsaturating" (or "ns"), "minimax", "leastsquares" (or "ls"),
// "hinge".
func ParseGeneratorLoss(s string) (GeneratorLoss, error) {
	switch strings.ToLower(strings.ReplaceAll(s, "-", "")) {
	case "nonsaturating", "ns":
		return NonSaturating, nil
	case "minimax", "saturating":
		return Minimax, nil
	case "leastsquares", "ls", "lsgan":
		return LeastSquares, nil
	case "hinge":
		return Hinge, nil
	}
	return 0, fmt.Errorf("unknown generator loss %q (want nonsaturating, minimax, leastsquares or hinge)", s)
}

// MarshalText and UnmarshalText make the loss readable in JSON configs and checkpoints.
func (l GeneratorLoss) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText parses the names accepted by ParseGeneratorLoss.
func (l *GeneratorLoss) UnmarshalText(b []byte) error {
	v, err := ParseGeneratorLoss(string(b))
	*l = v
	return err
}

// Optimizer selects the update rule of both players.
type Optimizer int

const (
	// Adam (Kingma & Ba 2015) with β1 and β2 from the Config: the DCGAN recipe. It divides each
	// parameter's step by a running scale of its gradients, so even a saturated, tiny gradient
	// still moves the weights by about the learning rate. The default.
	Adam Optimizer = iota
	// GradientSteps is the update of Eq. 16–17 (docs/equations.md) as written: θ ← θ ± α∇, no
	// momentum, no rescaling. A saturated gradient then gives a saturated step.
	GradientSteps
)

var optimizerNames = map[Optimizer]string{Adam: "adam", GradientSteps: "sgd"}

func (o Optimizer) String() string { return optimizerNames[o] }

// ParseOptimizer accepts "adam" and "sgd" (plain gradient steps).
func ParseOptimizer(s string) (Optimizer, error) {
	for o, name := range optimizerNames {
		if strings.EqualFold(s, name) {
			return o, nil
		}
	}
	return 0, fmt.Errorf("unknown optimizer %q (want adam or sgd)", s)
}

// MarshalText and UnmarshalText make the optimizer readable in JSON configs and checkpoints.
func (o Optimizer) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText parses the names accepted by ParseOptimizer.
func (o *Optimizer) UnmarshalText(b []byte) error {
	v, err := ParseOptimizer(string(b))
	*o = v
	return err
}

// Config holds the hyperparameters of adversarial training (Goodfellow et al. 2014,
// Algorithm 1). Start from DefaultConfig; every field can be set from flags and notebooks.
type Config struct {
	LatentDim int `json:"latent_dim"` // size of z
	// LatentUniform draws z ~ U(−1, 1) instead of N(0, 1) (the original paper used uniform noise).
	LatentUniform bool          `json:"latent_uniform"`
	BatchSize     int           `json:"batch_size"` // m: real and generated examples per update
	K             int           `json:"k"`          // discriminator updates per generator update (Algorithm 1's k)
	LearningRateD float64       `json:"learning_rate_d"`
	LearningRateG float64       `json:"learning_rate_g"`
	Beta1         float64       `json:"beta1"` // Adam β1 for both optimizers
	Beta2         float64       `json:"beta2"`
	Loss          GeneratorLoss `json:"loss"`
	// Optimizer is Adam (the default) or the plain gradient steps of Eq. 16–17; Beta1 and Beta2
	// apply to Adam only.
	Optimizer Optimizer `json:"optimizer,omitempty"`
	// Simultaneous replaces Algorithm 1 by the TF DCGAN tutorial's step: one generator forward,
	// D on real and fake, both gradients from that same forward, both updates at once (K is
	// ignored).
	Simultaneous bool `json:"simultaneous"`
	// MatchingAware (conditional GANs only) also shows D real examples with a wrong label as
	// fakes — the matching-aware discriminator of Reed et al. (2016, GAN-CLS): D's loss becomes
	// −log D(x|y) − ½[log(1 − D(G(z|y)|y)) + log(1 − D(x|y′))], y′ ≠ y. Plain CGAN training never
	// shows D a real image with a wrong label, so nothing makes it reject one.
	MatchingAware bool `json:"matching_aware,omitempty"`
	// EMADecay > 0 keeps an exponential moving average of the generator's weights beside them,
	// θ̄ ← β θ̄ + (1 − β) θ after every generator update (β = EMADecay, e.g. 0.999: about the last
	// 1000 steps); Model.UseMovingAverage samples with it. 0: none.
	EMADecay float64 `json:"ema_decay,omitempty"`
	// LRDecayFrom and LRDecayTo (1 < From < To) make both learning rates fall linearly over steps
	// From…To: step s runs at RateScale(s) times LearningRateD and LearningRateG, from 1 at step
	// From down to 1/(To − From + 1) at step To, where later steps stay. 0, 0: constant rates.
	LRDecayFrom int `json:"lr_decay_from,omitempty"`
	LRDecayTo   int `json:"lr_decay_to,omitempty"`
	// InstanceNoise > 0 adds Gaussian noise of this standard deviation (in the examples' units:
	// [−1, 1] for images) to every example the discriminator sees in training, real and generated
	// alike, falling linearly to 0 at step InstanceNoiseSteps (NoiseScale). Two distributions with
	// disjoint supports, such as clean synthetic images and a generator's grainy ones, let D
	// separate them perfectly: V(D*, G) sits at 2·JS − 2 log 2 = 0 and G's gradient carries little
	// (Arjovsky & Bottou 2017). Blurring both by the same noise makes them overlap, so D cannot
	// win on fine detail while G learns the coarse picture (Sønderby et al. 2017). 0: none.
	InstanceNoise      float64 `json:"instance_noise,omitempty"`
	InstanceNoiseSteps int     `json:"instance_noise_steps,omitempty"`
	Seed               uint64  `json:"seed"`
}

// NoiseScale is the standard deviation of the instance noise at step s (counted from 1):
// InstanceNoise·(1 − (s − 1)/InstanceNoiseSteps), 0 from step InstanceNoiseSteps + 1 on.
func (c Config) NoiseScale(s int) float64 {
	if c.InstanceNoise == 0 {
		return 0
	}
	return c.InstanceNoise * math.Max(0, 1-float64(s-1)/float64(c.InstanceNoiseSteps))
}

// RateScale is the factor of the learning rates at step s (counted from 1): 1 without a decay or
// before LRDecayFrom, (LRDecayTo − s + 1)/(LRDecayTo − LRDecayFrom + 1) during it.
func (c Config) RateScale(s int) float64 {
	if c.LRDecayFrom == 0 || s < c.LRDecayFrom {
		return 1
	}
	return float64(c.LRDecayTo-min(s, c.LRDecayTo)+1) / float64(c.LRDecayTo-c.LRDecayFrom+1)
}

// DefaultConfig: Adam(2e-4, β1 = 0.5) as in DCGAN, k = 1, non-saturating loss, batch 64.
func DefaultConfig() Config {
	return Config{LatentDim: 100, BatchSize: 64, K: 1, LearningRateD: 2e-4, LearningRateG: 2e-4,
		Beta1: 0.5, Beta2: 0.999, Loss: NonSaturating, Seed: 1}
}

// RawOutput says whether the loss reads D's raw output (LSGAN, hinge) rather than the
// probability σ(output) of the cross-entropy losses.
func (c Config) RawOutput() bool { return c.Loss == LeastSquares || c.Loss == Hinge }

// RealThreshold is the discriminator output above which D calls an example real: ½ for the
// probabilities of the cross-entropy losses and for LSGAN's targets 0 and 1, 0 for the hinge's
// margins at ±1.
func (c Config) RealThreshold() float64 {
	if c.Loss == Hinge {
		return 0
	}
	return 0.5
}

// Flags is the configuration as the values of `ganlab train`'s flags, by name: what a resumed
// run whose checkpoint recorded no flags is checked against.
func (c Config) Flags() map[string]string {
	return map[string]string{"batch": fmt.Sprint(c.BatchSize), "k": fmt.Sprint(c.K), "beta1": fmt.Sprint(c.Beta1),
		"z": fmt.Sprint(c.LatentDim), "loss": c.Loss.String(), "simultaneous": fmt.Sprint(c.Simultaneous),
		"seed": fmt.Sprint(c.Seed), "matching-aware": fmt.Sprint(c.MatchingAware), "optimizer": c.Optimizer.String(),
		"ema": fmt.Sprint(c.EMADecay)}
}

// Toy1DConfig is the configuration that trains the 1-D GAN on N(4, 1.25²) to JS < 0.01 nats
// in about 4000 generator steps (≈ 15 s on 2 cores): a 1-D normal z, batch 256, k = 5
// discriminator steps per generator step, Adam with learning rates 1e-3 (D) and 2e-4 (G).
// With k = 1 the same run stalls at JS ≈ 0.14: the discriminator never gets ahead of the
// generator, which is Algorithm 1's reason for k.
func Toy1DConfig() Config {
	c := DefaultConfig()
	c.LatentDim, c.BatchSize, c.K = 1, 256, 5
	c.LearningRateD, c.LearningRateG = 1e-3, 2e-4
	return c
}

// MaxK bounds Algorithm 1's k: a generator step with more discriminator steps would take hours
// (Goodfellow et al. used k = 1).
const MaxK = 1000

// Validate reports the first invalid field.
func (c Config) Validate() error {
	bad := func(name string, v any, want string) error {
		return fmt.Errorf("invalid configuration: %s = %v, want %s", name, v, want)
	}
	switch {
	case c.LatentDim <= 0:
		return bad("latent size", c.LatentDim, "> 0")
	case c.BatchSize <= 0:
		return bad("batch size", c.BatchSize, "> 0")
	case c.K < 1 || c.K > MaxK:
		return bad("k (discriminator steps per generator step)", c.K, fmt.Sprintf("in 1…%d", MaxK))
	case c.LatentDim > 1<<16:
		return bad("latent size", c.LatentDim, "≤ 65536")
	case !(c.LearningRateD > 0) || math.IsInf(c.LearningRateD, 0):
		return bad("discriminator learning rate", c.LearningRateD, "> 0")
	case !(c.LearningRateG > 0) || math.IsInf(c.LearningRateG, 0):
		return bad("generator learning rate", c.LearningRateG, "> 0")
	case !(c.Beta1 >= 0 && c.Beta1 < 1):
		return bad("beta1", c.Beta1, "in [0, 1)")
	case !(c.Beta2 >= 0 && c.Beta2 < 1):
		return bad("beta2", c.Beta2, "in [0, 1)")
	case !(c.EMADecay >= 0 && c.EMADecay < 1):
		return bad("EMA decay", c.EMADecay, "in [0, 1)")
	case (c.LRDecayFrom != 0 || c.LRDecayTo != 0) && !(1 < c.LRDecayFrom && c.LRDecayFrom < c.LRDecayTo):
		return bad("learning-rate decay steps", fmt.Sprintf("%d…%d", c.LRDecayFrom, c.LRDecayTo), "1 < first < last")
	case !(c.InstanceNoise >= 0) || math.IsInf(c.InstanceNoise, 0):
		return bad("instance noise", c.InstanceNoise, "≥ 0 and finite")
	case c.InstanceNoise > 0 && c.InstanceNoiseSteps < 1:
		return bad("instance noise steps", c.InstanceNoiseSteps, "≥ 1")
	}
	if _, ok := lossNames[c.Loss]; !ok {
		return bad("loss", int(c.Loss), "nonsaturating, minimax, leastsquares or hinge")
	}
	if _, ok := optimizerNames[c.Optimizer]; !ok {
		return bad("optimizer", int(c.Optimizer), "adam or sgd")
	}
	return nil
}
