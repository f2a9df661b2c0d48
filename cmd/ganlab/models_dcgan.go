package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/dcgan"
	"github.com/ganlab/ganlab/eval"
	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/internal/cli"
	"github.com/ganlab/ganlab/internal/progress"
	"github.com/ganlab/ganlab/plotting"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"
)

func init() {
	trainers["dcgan"] = cli.Target{Summary: "DCGAN: -preset mnist (TF tutorial, 28×28) on MNIST/Fashion, or paper64 (the paper's 64×64×3) on an image folder", Run: trainDCGAN}
	samplers["dcgan"] = cli.Target{Summary: "samples of a DCGAN generator as a PNG grid or IDX3 images", Run: sampleDCGAN}
}

func trainDCGAN(fs *flag.FlagSet, args []string) error {
	preset := fs.String("preset", "mnist", "architecture: mnist (the TF tutorial's 28×28 model) or paper64 (Radford et al. Fig. 2)")
	dataset := fs.String("dataset", "mnist", "training images: mnist, fashion, heads (procedural talking heads, RGB), or a folder of PNG/JPEG images")
	headsN := fs.Int("heads-n", 20000, "with -dataset heads: how many frames to render")
	size := fs.Int("size", 0, "image size for the paper preset (default 64; 4·2^k)")
	width := fs.Int("width", 0, "base width (channels of D's first layer; default: the preset's)")
	dNorm := fs.String("d-norm", "batch", "normalization of the paper discriminator: batch (the paper's), none, or spectral (SN-GAN's spectral normalization of every layer)")
	f := registerGANFlags(fs, "dcgan", gan.DefaultConfig(), 5000)
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if err := f.finish(); err != nil {
		return err
	}
	mc, err := dcgan.Preset(*preset)
	if err != nil {
		return cli.Usagef("%v", err)
	}
	mc.LatentDim = f.cfg.LatentDim
	if *size > 0 {
		mc.ImageSize = *size
	}
	if *width > 0 {
		mc.BaseWidth = *width
	}
	if *dNorm != "batch" {
		mc.DiscriminatorNorm = *dNorm
	}
	if err := mc.Validate(); err != nil {
		return cli.Usagef("%v", err)
	}
	var set *datasets.ImageSet
	switch *dataset {
	case "mnist", "fashion", "fashion-mnist":
		set, err = loadDataset(*dataset, datasets.Train)
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
	set, pad, err := mc.FitData(set)
	if errors.Is(err, dcgan.ErrDataMismatch) {
		return cli.Usagef("%v", err)
	} else if err != nil {
		return err
	}
	if pad > 0 {
		fmt.Fprintf(os.Stderr, "padding the %d×%d images with a %d-pixel zero border to %d×%d\n", set.H-2*pad, set.W-2*pad, pad, set.H, set.W)
	}
	g, d, err := mc.Models()
	if err != nil {
		return cli.Usagef("%v", err)
	}
	return trainImageGAN("dcgan", set, g, d, false, f, mc.Meta())
}

func sampleDCGAN(fs *flag.FlagSet, args []string) error {
	checkpoint := fs.String("checkpoint", "", "a training output directory, checkpoint directory or .gob file (generator.gob or ckpt-*.gob); default: the shipped pretrained DCGAN-MNIST")
	n := fs.Int("n", 64, "number of samples")
	out := fs.String("o", "samples.png", "output: .png (a grid) or .idx (IDX3 uint8 images, MNIST convention: 0 = background)")
	seed := fs.Uint64("seed", 1, "noise seed")
	truncation := truncationFlag(fs)
	crop := fs.Int("crop", 0, "centre-crop the samples to S×S before writing (e.g. -crop 28: MNIST-sized images from a generator trained on MNIST padded to 32×32); 0: off")
	run := fs.String("run", "", "instead: a training output directory; -o F.gif gets one frame per checkpoint, the 64 fixed-noise samples of the run's own progress.gif (which a resumed run rewrites with its own steps only)")
	newBackend := cli.BackendFlag(fs)
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *run != "" || strings.EqualFold(filepath.Ext(*out), ".gif") {
		if *run == "" || !strings.EqualFold(filepath.Ext(*out), ".gif") {
			return cli.Usagef("-run DIR and -o F.gif go together (a GIF of the run's checkpoints)")
		}
		b, err := newBackend()
		if err != nil {
			return err
		}
		return checkpointsGIF(b, *run, *out)
	}
	ext, err := sampleOutput(*out, *n)
	if err != nil {
		return err
	}
	if err := checkTruncation(*truncation); err != nil {
		return err
	}
	b, err := newBackend()
	if err != nil {
		return err
	}
	if *crop < 0 {
		return cli.Usagef("-crop must be ≥ 0, got %d", *crop)
	}
	samples, source, err := dcganSamples(b, *checkpoint, *n, *seed, *truncation)
	if err != nil {
		return err
	}
	if *crop > 0 {
		if samples, err = eval.CenterCrop(samples, *crop, *crop); err != nil {
			return cli.Usagef("-crop %d: %v", *crop, err)
		}
	}
	if err := writeSamples(*out, ext, samples, 0); err != nil {
		return err
	}
	fmt.Printf("wrote %d samples of %s to %s\n", *n, source, *out)
	return nil
}

// checkpointsGIF writes a GIF with one frame per checkpoint of the training run in dir: the grid
// of the 64 fixed-noise samples that training's progress.gif shows.
func checkpointsGIF(b compute.Backend, dir, out string) error {
	files, err := gan.ListCheckpoints(filepath.Join(dir, "checkpoints"))
	if err != nil || len(files) == 0 {
		return cli.Usagef("-run %s: no checkpoints in %s", dir, filepath.Join(dir, "checkpoints"))
	}
	bar := progress.New("gif of checkpoints", len(files))
	frames, err := dcgan.CheckpointFrames(b, files, func(i, step int) { bar.Set(i+1, fmt.Sprintf("step %d", step)) })
	if err != nil {
		return err
	}
	bar.Finish("done")
	if err := plotting.SaveGIF(out, frames, 30); err != nil {
		return err
	}
	fmt.Printf("wrote %s: %d frames, one per checkpoint of %s\n", out, len(frames), dir)
	return nil
}

// sampleOutput validates -o and -n of the samplers and returns the output's extension.
func sampleOutput(out string, n int) (string, error) {
	ext := strings.ToLower(filepath.Ext(out))
	if n <= 0 {
		return "", cli.Usagef("-n must be > 0, got %d", n)
	}
	if ext != ".png" && ext != ".idx" {
		return "", cli.Usagef("-o %s: want a .png or .idx file name", out)
	}
	return ext, nil
}

// writeSamples writes generated images [n, H, W, C] as IDX3 (.idx) or a PNG grid with cols
// columns (0: square-ish).
func writeSamples(out, ext string, samples *tensors.Tensor, cols int) error {
	if ext == ".idx" {
		return gan.WriteIDXImages(out, samples)
	}
	dims := samples.Shape().Dimensions
	img, err := gan.ImageGridOf(samples, dims[1], dims[2], dims[3], cols)
	if err != nil {
		return err
	}
	return plotting.SaveImage(out, img)
}
