package gan

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/internal/storeio"
	"github.com/ganlab/ganlab/plotting"
)

// FixedNoise returns n noise vectors z ~ N(0, 1) of size dim from a seed: the same grid of
// samples can be drawn again and again during training to watch one set of z evolve.
func FixedNoise(n, dim int, seed uint64) (*tensors.Tensor, error) {
	if n <= 0 || dim <= 0 {
		return nil, fmt.Errorf("fixed noise: need n > 0 and dim > 0, got %d and %d", n, dim)
	}
	rng := rand.New(rand.NewPCG(seed, 0))
	z := make([]float32, n*dim)
	for i := range z {
		z[i] = float32(rng.NormFloat64())
	}
	return tensors.FromFlatDataAndDimensions(z, n, dim), nil
}

// TruncatedNoise returns n noise vectors of size dim whose components are N(0, 1) conditioned on
// |z_i| ≤ threshold (each component is redrawn until it falls inside): the "truncation trick" of
// Brock et al. 2019 (BigGAN, §3.1). Samples from the middle of the prior are the ones the
// generator has seen most often, so truncation trades diversity for fidelity: a classifier is
// surer of each sample (the classifier score rises) while the samples cover less of the data
// (the Fréchet distance eventually rises too). A generator trained on N(0, 1) is measured
// without it; threshold must pass CheckTruncation.
func TruncatedNoise(n, dim int, seed uint64, threshold float64) (*tensors.Tensor, error) {
	if n <= 0 || dim <= 0 {
		return nil, fmt.Errorf("truncated noise: need n > 0 and dim > 0, got %d and %d", n, dim)
	}
	if err := CheckTruncation(threshold); err != nil {
		return nil, fmt.Errorf("truncated noise: %w", err)
	}
	rng := rand.New(rand.NewPCG(seed, 0))
	z := make([]float32, n*dim)
	for i := range z {
		v := rng.NormFloat64()
		for math.Abs(v) > threshold {
			v = rng.NormFloat64()
		}
		z[i] = float32(v)
	}
	return tensors.FromFlatDataAndDimensions(z, n, dim), nil
}

// MinTruncation is the smallest truncation threshold: below it redrawing becomes slow.
const MinTruncation = 0.05

// CheckTruncation says whether threshold is a usable truncation bound: finite and ≥ MinTruncation.
func CheckTruncation(threshold float64) error {
	if !(threshold >= MinTruncation) || math.IsInf(threshold, 1) {
		return fmt.Errorf("threshold must be a finite number ≥ %g, got %g", MinTruncation, threshold)
	}
	return nil
}

// ImageGridOf tiles a batch of generated images (values in [−1, 1], [n, H·W·C] or
// [n, H, W, C]) into a grid with cols columns, zoomed 2×.
func ImageGridOf(batch *tensors.Tensor, h, w, c, cols int) (image.Image, error) {
	n := batch.Shape().Dimensions[0]
	var imgs []image.Image
	var err error
	tensors.MustConstFlatData[float32](batch, func(flat []float32) {
		imgs, err = plotting.FloatImages(flat, n, h, w, c)
	})
	if err != nil {
		return nil, err
	}
	return plotting.ImageGrid(imgs, cols, 2, 2)
}

// WriteIDXImages writes a batch of generated images (values in [−1, 1], [n, H, W, C] or
// [n, H·W] for 28×28) as an IDX3 uint8 file in the MNIST convention (0 = background, the value
// −1), atomically. C = 1 is written as [n, H, W], otherwise [n, H, W, C].
func WriteIDXImages(path string, batch *tensors.Tensor) error {
	dims := batch.Shape().Dimensions
	var idxDims []int
	switch {
	case len(dims) == 4 && dims[3] == 1:
		idxDims = dims[:3]
	case len(dims) == 4:
		idxDims = dims
	case len(dims) == 2 && dims[1] == 784:
		idxDims = []int{dims[0], 28, 28}
	default:
		return fmt.Errorf("IDX export: want images [n, H, W, C], got %s", batch.Shape())
	}
	data := make([]byte, 0, batch.Shape().Size())
	tensors.MustConstFlatData[float32](batch, func(flat []float32) {
		for _, v := range flat {
			u := (float64(v) + 1) * 127.5
			data = append(data, byte(math.Round(math.Min(math.Max(u, 0), 255))))
		}
	})
	return storeio.WriteAtomic(path, func(f *os.File) error {
		return datasets.WriteIDX(f, &datasets.IDX{Type: datasets.IDXUint8, Dims: idxDims, Data: data})
	})
}

// InterpolateLatent returns steps noise vectors from z0 to z1 (each [dim]), as a tensor [steps, dim]:
// linearly, or spherically (slerp, Shoemake 1985), which keeps the norm of Gaussian noise typical
// along the way (White 2016, "Sampling Generative Networks") where the linear path passes
// through the low-norm centre of the Gaussian.
func InterpolateLatent(z0, z1 []float32, steps int, spherical bool) (*tensors.Tensor, error) {
	if len(z0) != len(z1) || len(z0) == 0 || steps < 2 {
		return nil, fmt.Errorf("interpolate: need equal non-empty vectors and steps ≥ 2, got %d, %d, %d", len(z0), len(z1), steps)
	}
	dot, n0, n1 := 0.0, 0.0, 0.0
	for i := range z0 {
		dot += float64(z0[i]) * float64(z1[i])
		n0 += float64(z0[i]) * float64(z0[i])
		n1 += float64(z1[i]) * float64(z1[i])
	}
	omega := math.Acos(math.Max(-1, math.Min(1, dot/math.Sqrt(n0*n1))))
	out := make([]float32, 0, steps*len(z0))
	for s := range steps {
		t := float64(s) / float64(steps-1)
		a, b := 1-t, t
		if spherical && math.Sin(omega) > 1e-6 {
			a, b = math.Sin((1-t)*omega)/math.Sin(omega), math.Sin(t*omega)/math.Sin(omega)
		}
		for i := range z0 {
			out = append(out, float32(a*float64(z0[i])+b*float64(z1[i])))
		}
	}
	return tensors.FromFlatDataAndDimensions(out, steps, len(z0)), nil
}

// WriteSamples writes generated images [n, H, W, C] to path by its extension: .idx as IDX3
// (WriteIDXImages), .png as a grid with cols columns (0: square-ish).
func WriteSamples(path string, samples *tensors.Tensor, cols int) error {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".idx":
		return WriteIDXImages(path, samples)
	case ".png":
		dims := samples.Shape().Dimensions
		img, err := ImageGridOf(samples, dims[1], dims[2], dims[3], cols)
		if err != nil {
			return err
		}
		return plotting.SaveImage(path, img)
	}
	return fmt.Errorf("%s: want a .png or .idx file name", path)
}
