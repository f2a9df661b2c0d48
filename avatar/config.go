package avatar

import (
	"cmp"
	"fmt"
)

// Kind selects the architecture.
type Kind string

const (
	// BiLayer is the paper's model: per frame, a small inference generator renders a
	// low-frequency image and a warp field; the per-avatar high-frequency texture is warped and
	// added (Zakharov et al. 2020, Fig. 2).
	BiLayer Kind = "bilayer"
	// Baseline is a one-layer per-frame generator that renders the whole image from the
	// landmarks and the embedding: it must produce the high-frequency detail every frame.
	Baseline Kind = "baseline"
)

// Config holds the sizes and training hyperparameters of an avatar model. Start from
// DefaultConfig.
type Config struct {
	Kind     Kind `json:"kind"`
	Size     int  `json:"size"`      // image size (64 default, 128 supported)
	EmbedDim int  `json:"embed_dim"` // identity embedding size
	// Width is the channel count of the per-frame generator's first layer (it doubles once).
	// The bi-layer default is 32: at batch 1 its frame costs the same as width 24's (the
	// per-operation overhead dominates, docs/performance.md), and at 6000 steps (before the
	// expression weighting) it scored 26.86 dB on the held-out frames against width 24's 26.75
	// (inside the open mouth, 24.42 against 24.52). The baseline's is 64, since it must draw the
	// detail itself.
	Width int `json:"width"`
	// Loss weights (Zakharov et al. 2020, §3.3; no pretrained perceptual network can be
	// downloaded here, so the perceptual term is replaced by pixel L1 and the discriminator's
	// feature matching).
	L1Weight, AdversarialWeight, FeatureMatchingWeight float64
	// The bi-layer split: L1 of the low-frequency image against its target (the target frame
	// blurred at BlurSigma, sharp on the eyes and the mouth), and the roughness (total
	// variation) of the warp field. LowFrequencyWeight is above L1Weight (the package
	// documentation says why).
	LowFrequencyWeight, FlowSmoothnessWeight float64
	// ExpressionWeight is the extra weight, in both L1 terms, of the pixels in the eyes and the
	// mouth (the expression areas): there the expression changes the picture, and the source frame
	// cannot help. Both kinds; 0 weighs every pixel alike.
	ExpressionWeight float64
	LearningRate     float64 `json:"learning_rate"`
	BatchSize        int     `json:"batch_size"`
	Seed             uint64  `json:"seed"`
}

// DefaultConfig is the laptop-scale configuration of a kind.
func DefaultConfig(kind Kind) Config {
	c := Config{Kind: kind, Size: 64, EmbedDim: 64, Width: 32, L1Weight: 10, AdversarialWeight: 0.1,
		FeatureMatchingWeight: 1, LowFrequencyWeight: 15, FlowSmoothnessWeight: 0.1, ExpressionWeight: 4, LearningRate: 5e-4, BatchSize: 16, Seed: 1}
	if kind == Baseline {
		c.Width = 64
	}
	return c
}

// ConfigFor is DefaultConfig(kind) at size with seed, and the batch size and width when they are
// > 0 (0 keeps the kind's), validated.
func ConfigFor(kind Kind, size, batch, width int, seed uint64) (Config, error) {
	c := DefaultConfig(kind)
	if batch < 0 || width < 0 {
		return c, fmt.Errorf("avatar: batch %d and width %d must be ≥ 0 (0: the kind's default)", batch, width)
	}
	c.Size, c.Seed = size, seed
	c.BatchSize, c.Width = cmp.Or(batch, c.BatchSize), cmp.Or(width, c.Width)
	return c, c.Validate()
}

// Validate reports the first invalid field.
func (c Config) Validate() error {
	switch {
	case c.Kind != BiLayer && c.Kind != Baseline:
		return fmt.Errorf("avatar: unknown kind %q (want bilayer or baseline)", c.Kind)
	case c.Size < 16 || c.Size%16 != 0:
		return fmt.Errorf("avatar: image size %d, want a multiple of 16 (64 or 128)", c.Size)
	case c.EmbedDim <= 0 || c.Width <= 0:
		return fmt.Errorf("avatar: embedding size %d and width %d must be > 0", c.EmbedDim, c.Width)
	case c.BatchSize <= 0:
		return fmt.Errorf("avatar: batch size %d, want > 0", c.BatchSize)
	case !(c.LearningRate > 0):
		return fmt.Errorf("avatar: learning rate %g, want > 0", c.LearningRate)
	case c.L1Weight < 0 || c.AdversarialWeight < 0 || c.FeatureMatchingWeight < 0 || c.LowFrequencyWeight < 0 || c.FlowSmoothnessWeight < 0 || c.ExpressionWeight < 0:
		return fmt.Errorf("avatar: loss weights must be ≥ 0")
	}
	return nil
}

// BlurSigma is the standard deviation, in pixels, of the Gaussian that separates the low
// frequencies from the high ones: 2 px at 64×64, the same fraction of the image at other sizes.
func (c Config) BlurSigma() float64 { return 2 * float64(c.Size) / 64 }

// Flags is the configuration as the values of `ganlab train avatar`'s flags, by name: what a
// resumed run is checked against.
func (c Config) Flags() map[string]string {
	return map[string]string{"kind": string(c.Kind), "size": fmt.Sprint(c.Size), "batch": fmt.Sprint(c.BatchSize),
		"width": fmt.Sprint(c.Width), "seed": fmt.Sprint(c.Seed)}
}
