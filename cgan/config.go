package cgan

import (
	"encoding/json"
	"fmt"

	"github.com/ganlab/ganlab/dcgan"
	"github.com/ganlab/ganlab/gan"
)

// Config describes a conditional generator/discriminator pair. Start from [MNIST] (or
// [MNISTMLP]) and override fields; [Config.Models] builds the pair or says why it cannot.
type Config struct {
	// Arch is "conv" (the DCGAN models with the label joined to z and to D's input channels)
	// or "mlp" (fully connected, as in Mirza & Osindero).
	Arch      string  `json:"arch"`
	Classes   int     `json:"classes"`    // number of labels y ∈ [0, Classes)
	ImageSize int     `json:"image_size"` // height = width; conv: 28 (the DCGAN tutorial model) or 4·2^k
	Channels  int     `json:"channels"`   // 1 or 3
	LatentDim int     `json:"latent_dim"` // size of z
	InitStd   float64 `json:"init_std"`   // conv weights N(0, InitStd²), the DCGAN paper's 0.02
}

// MNIST is the convolutional CGAN for 28×28 grayscale images in 10 classes (MNIST,
// Fashion-MNIST): the TF DCGAN tutorial's model, conditioned.
func MNIST() Config {
	return Config{Arch: "conv", Classes: 10, ImageSize: 28, Channels: 1, LatentDim: 100, InitStd: 0.02}
}

// MNISTMLP is the fully connected CGAN for 28×28 grayscale images in 10 classes.
func MNISTMLP() Config {
	c := MNIST()
	c.Arch = "mlp"
	return c
}

// Validate reports why the configuration cannot be built.
func (c Config) Validate() error {
	switch {
	case c.Classes < 2:
		return fmt.Errorf("CGAN: classes = %d, want ≥ 2", c.Classes)
	case c.LatentDim <= 0:
		return fmt.Errorf("CGAN: latent size = %d, want > 0", c.LatentDim)
	case c.Channels != 1 && c.Channels != 3:
		return fmt.Errorf("CGAN: channels = %d, want 1 or 3", c.Channels)
	case c.ImageSize <= 0:
		return fmt.Errorf("CGAN: image size = %d, want > 0", c.ImageSize)
	}
	switch c.Arch {
	case "mlp":
		return nil
	case "conv":
		return c.dcgan().Validate()
	}
	return fmt.Errorf("CGAN: unknown architecture %q (want conv or mlp)", c.Arch)
}

// dcgan is the unconditional DCGAN configuration whose models the conv variant wraps: its z
// is [z, onehot(y)].
func (c Config) dcgan() dcgan.Config {
	d := dcgan.MNIST()
	if c.ImageSize != 28 {
		d = dcgan.Paper64()
		d.Preset, d.BaseWidth = "paper", 64
	}
	d.ImageSize, d.Channels, d.LatentDim = c.ImageSize, c.Channels, c.LatentDim+c.Classes
	if c.InitStd > 0 {
		d.InitStd = c.InitStd
	}
	return d
}

// GanConfig is the default training configuration (`ganlab train cgan`'s): DCGAN's Adam(2e-4,
// β1 = 0.5), batch 64, the non-saturating loss, a matching-aware discriminator, with c's latent
// size.
func (c Config) GanConfig() gan.Config {
	g := gan.DefaultConfig()
	g.LatentDim = c.LatentDim
	g.MatchingAware = true
	return g
}

// MetaKey is where a CGAN's Config is recorded in checkpoint and generator files.
const MetaKey = "cgan.config"

// Meta returns the gan.Trainer.Meta entry that records c.
func (c Config) Meta() map[string]string {
	b, _ := json.Marshal(c)
	return map[string]string{MetaKey: string(b)}
}

// ConfigFromMeta recovers a Config recorded by Meta.
func ConfigFromMeta(meta map[string]string) (Config, error) {
	s, ok := meta[MetaKey]
	if !ok {
		return Config{}, fmt.Errorf("no CGAN configuration recorded in the file (is it a CGAN checkpoint?)")
	}
	var c Config
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return Config{}, fmt.Errorf("CGAN configuration in file: %w", err)
	}
	return c, c.Validate()
}
