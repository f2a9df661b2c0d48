package dcgan

import (
	"github.com/gomlx/compute"

	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/gan"
)

// MNIST32 is the paper's architecture at 32×32×1 with the given base width (z(100) → 4×4×4w →
// 8×8×2w → 16×16×w → 32×32×1): the shipped DCGAN-MNIST's family.
func MNIST32(width int) (Config, error) {
	c := Paper64()
	c.Channels = 1
	return c.Resized(32, width, "")
}

// NewMNIST32Trainer builds MNIST32(width) and its trainer under cfg on MNIST's 60 000 training
// images, padded with a 2-pixel zero border to 32×32, as `ganlab train dcgan -preset paper
// -size 32 -width W` does. Its checkpoints load with [LoadGenerator].
func NewMNIST32Trainer(backend compute.Backend, cfg gan.Config, width int) (*gan.Trainer, error) {
	c, err := MNIST32(width)
	if err != nil {
		return nil, err
	}
	c.LatentDim = cfg.LatentDim
	set, err := datasets.LoadMNIST(datasets.Train)
	if err != nil {
		return nil, err
	}
	if set, _, err = c.FitData(set); err != nil {
		return nil, err
	}
	g, d, err := c.Models()
	if err != nil {
		return nil, err
	}
	return gan.NewImageTrainer(backend, cfg, "dcgan", c.Meta(), g, d, set, false)
}
