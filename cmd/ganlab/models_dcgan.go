package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/dcgan"
	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/internal/cli"
)

func init() {
	trainers["dcgan"] = cli.Target{Summary: "DCGAN: -preset mnist (TF tutorial, 28×28) on MNIST/Fashion, or paper64 (the paper's 64×64×3) on an image folder", Run: trainDCGAN}
}

func trainDCGAN(fs *flag.FlagSet, args []string) error {
	preset := fs.String("preset", "mnist", "architecture: mnist (the TF tutorial's 28×28 model) or paper64 (alias paper: Radford et al.'s generator, 4·2^k pixels with -size)")
	dataset := fs.String("dataset", "mnist", "training images: mnist, fashion, heads (procedural talking heads, RGB), or a folder of PNG/JPEG images")
	headsN := fs.Int("heads-n", 20000, "with -dataset heads: how many frames to render")
	size := fs.Int("size", 0, "image size for the paper preset (default 64; 4·2^k)")
	width := fs.Int("width", 0, "base width (channels of D's first layer; default: the preset's)")
	dNorm := fs.String("d-norm", "batch", "normalization of the paper discriminator: batch (the paper's), none, or spectral (SN-GAN's spectral normalization of every layer)")
	minibatchStd := fs.Bool("minibatch-std", false, "paper preset: append ProGAN's minibatch standard-deviation channel before D's last layer, so that D sees a batch with too little variety (against collapse)")
	f := registerGANFlags(fs, "dcgan", gan.DefaultConfig(), 5000)
	if err := f.parse(args); err != nil {
		return err
	}
	mc, err := dcgan.Preset(*preset)
	if err != nil {
		return cli.Usagef("%v", err)
	}
	mc.LatentDim = f.cfg.LatentDim
	if *dNorm == "batch" {
		*dNorm = "" // the preset's own
	}
	mc.MinibatchStd = *minibatchStd
	if mc, err = mc.Resized(*size, *width, *dNorm); err != nil {
		return cli.Usagef("%v", err)
	}
	if *headsN < 1 {
		return cli.Usagef("-heads-n must be ≥ 1, got %d", *headsN)
	}
	var set *datasets.ImageSet
	switch *dataset {
	case "mnist", "fashion", "fashion-mnist":
		set, err = loadSplit(*dataset, datasets.Train)
	case "heads":
		heads := datasets.DefaultHeads()
		heads.Size = mc.ImageSize
		set, err = heads.ImageSet(*headsN)
	default:
		if st, statErr := os.Stat(*dataset); statErr != nil || !st.IsDir() {
			return cli.Usagef("-dataset %q: not mnist, fashion, heads or a directory of images", *dataset)
		}
		set, err = datasets.LoadImageFolder(*dataset, mc.ImageSize, mc.Channels)
	}
	if err != nil {
		return err
	}
	set, note, err := mc.FitData(set)
	if errors.Is(err, dcgan.ErrDataMismatch) {
		return cli.Usagef("%v", err)
	} else if err != nil {
		return err
	} else if note != "" {
		fmt.Fprintln(os.Stderr, note)
	}
	g, d, err := mc.Models()
	if err != nil {
		return cli.Usagef("%v", err)
	}
	return trainImageGAN("dcgan", set, g, d, false, f, mc.Meta())
}
