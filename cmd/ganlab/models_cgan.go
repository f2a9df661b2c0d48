package main

import (
	"flag"
	"image"

	"github.com/ganlab/ganlab/cgan"
	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/internal/cli"
)

func init() {
	trainers["cgan"] = cli.Target{Summary: "conditional GAN (Mirza & Osindero): -arch conv|mlp on MNIST or Fashion-MNIST, class-controlled", Run: trainCGAN}
}

func trainCGAN(fs *flag.FlagSet, args []string) error {
	dataset := fs.String("dataset", "mnist", "mnist or fashion")
	arch := fs.String("arch", "conv", "conv (the DCGAN tutorial model, conditioned) or mlp (fully connected, as in the paper)")
	withD := fs.Bool("save-discriminator", true, "keep the discriminator in generator.gob (the four-case table needs it; false: a smaller file)")
	defaults := gan.DefaultConfig()
	defaults.MatchingAware = true
	f := registerGANFlags(fs, "cgan", defaults, 5000)
	fs.BoolVar(&f.cfg.MatchingAware, "matching-aware", true, "also show D real images with wrong labels as fakes (Reed et al. 2016), so that it learns to reject them")
	if err := f.parse(args); err != nil {
		return err
	}
	mc := cgan.MNIST()
	mc.Arch, mc.LatentDim = *arch, f.cfg.LatentDim
	if err := mc.Validate(); err != nil {
		return cli.Usagef("%v", err)
	}
	set, err := loadSplit(*dataset, datasets.Train)
	if err != nil {
		return err
	}
	tr, err := cgan.NewTrainer(f.backend, mc, f.cfg, set)
	if err != nil {
		return err
	}
	// The discriminator is kept in generator.gob by default: the four-case table needs it.
	return trainImages(tr, f, *withD, func() (image.Image, error) {
		img, _, err := cgan.ClassGrid(tr.Model, set.Classes, 8, gan.ProgressNoiseSeed)
		return img, err
	})
}
