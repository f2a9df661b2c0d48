package cgan

import (
	"fmt"
	"image"
	"io"
	"math/rand/v2"
	"path/filepath"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/plotting"
)

// ModelName is the model name written in CGAN checkpoint and generator files.
const ModelName = "cgan"

// NewTrainer prepares conditional training of c's models on a labelled image set, checking that
// the set and the model agree (image size, channels, number of classes). The Trainer's Meta
// records c, so that saved files can be sampled with [LoadGenerator].
func NewTrainer(backend compute.Backend, c Config, training gan.Config, set *datasets.ImageSet) (*gan.Trainer, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if set == nil {
		return nil, fmt.Errorf("cgan.NewTrainer: no data")
	}
	switch {
	case set.Labels == nil:
		return nil, fmt.Errorf("%s: the images have no labels; a conditional GAN needs them", set.Name)
	case len(set.Classes) != c.Classes:
		return nil, fmt.Errorf("%s has %d classes but the model was configured for %d", set.Name, len(set.Classes), c.Classes)
	case set.C != c.Channels:
		return nil, fmt.Errorf("%s has %d channel(s) per pixel but the model has %d", set.Name, set.C, c.Channels)
	case set.H != c.ImageSize || set.W != c.ImageSize:
		return nil, fmt.Errorf("%s has %d×%d images but the model makes %d×%d", set.Name, set.H, set.W, c.ImageSize, c.ImageSize)
	}
	if training.LatentDim != c.LatentDim {
		return nil, fmt.Errorf("training latent size %d differs from the model's %d", training.LatentDim, c.LatentDim)
	}
	g, d, err := c.Models()
	if err != nil {
		return nil, err
	}
	t, err := gan.NewConditionalTrainer(backend, training, c.Classes, g, d, gan.NewImages(set, training.Seed, false))
	if err != nil {
		return nil, err
	}
	t.Name, t.Meta = ModelName, c.Meta()
	return t, nil
}

// LoadGenerator reads a CGAN generator or checkpoint file (or a training output directory's
// checkpoints) and returns the model and its Config. The model can Discriminate when the file
// holds the discriminator (FourCases needs it).
func LoadGenerator(backend compute.Backend, path string) (*gan.Model, Config, error) {
	file, err := gan.ReadCheckpoint(path, "") // read once; the model is checked here, in CGAN's words
	if err != nil {
		return nil, Config{}, err
	}
	info := file.CheckpointInfo
	if info.Model != ModelName {
		return nil, Config{}, fmt.Errorf("%s holds a %q model, not a CGAN", info.Path, info.Model)
	}
	c, err := ConfigFromMeta(info.Meta)
	if err != nil {
		return nil, Config{}, fmt.Errorf("%s: %w", info.Path, err)
	}
	g, d, err := c.Models()
	if err != nil {
		return nil, Config{}, err
	}
	m, err := gan.NewConditionalModel(backend, info.Config, c.Classes, g, d)
	if err != nil {
		return nil, Config{}, err
	}
	m.Name = ModelName
	if err := m.Restore(file); err != nil {
		return nil, Config{}, err
	}
	if err := m.PreferMovingAverage(); err != nil {
		return nil, Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return m, c, nil
}

// BalancedLabels returns n labels cycling through the classes 0, 1, …, classes−1, 0, 1, …
// (n/classes samples of each class when n is a multiple).
func BalancedLabels(n, classes int) []int {
	labels := make([]int, n)
	for i := range labels {
		labels[i] = i % classes
	}
	return labels
}

// Repeated returns n copies of label: n samples of one class.
func Repeated(label, n int) []int {
	labels := make([]int, n)
	for i := range labels {
		labels[i] = label
	}
	return labels
}

// ClassGrid draws one row per class and cols columns; column j uses the same noise z_j (from
// seed) in every row, so the style of a column stays while the class changes down it. Images are
// [classes·cols, H, W, C] in row-major order; the grid image is tiled at 2× zoom, each row labelled
// on the left with its class name (names, or the label number when names is nil).
func ClassGrid(t *gan.Model, names []string, cols int, seed uint64) (image.Image, *tensors.Tensor, error) {
	if !t.Conditional() {
		return nil, nil, fmt.Errorf("ClassGrid needs a conditional generator")
	}
	if cols <= 0 {
		return nil, nil, fmt.Errorf("ClassGrid: cols = %d, want > 0", cols)
	}
	z, err := gan.FixedNoise(cols, t.Config.LatentDim, seed)
	if err != nil {
		return nil, nil, err
	}
	dim := t.Config.LatentDim
	flat := make([]float32, 0, t.Classes*cols*dim)
	var labels []int
	tensors.MustConstFlatData[float32](z, func(f []float32) {
		for class := range t.Classes {
			flat = append(flat, f...)
			for range cols {
				labels = append(labels, class)
			}
		}
	})
	images, err := t.GenerateLabeled(tensors.FromFlatDataAndDimensions(flat, t.Classes*cols, dim), labels)
	if err != nil {
		return nil, nil, err
	}
	d := images.Shape().Dimensions
	grid, err := gan.ImageGridOf(images, d[1], d[2], d[3], cols)
	if err != nil {
		return nil, nil, err
	}
	if len(names) != t.Classes {
		names = make([]string, t.Classes)
		for i := range names {
			names[i] = fmt.Sprint(i)
		}
	}
	return plotting.LabelRows(grid, names), images, nil
}

// WriteClassGrid writes ClassGrid's images to path: the grid with its row labels for a .png
// file, the images in the grid's row-major order for .idx (gan.WriteSamples). It returns the
// images.
func WriteClassGrid(path string, t *gan.Model, names []string, cols int, seed uint64) (*tensors.Tensor, error) {
	grid, images, err := ClassGrid(t, names, cols, seed)
	if err != nil {
		return nil, err
	}
	if strings.EqualFold(filepath.Ext(path), ".png") {
		return images, plotting.SaveImage(path, grid)
	}
	return images, gan.WriteSamples(path, images, cols)
}

// CaseResult is D's verdict on one of the four cases: mean D(x|y) and the share of examples
// it accepts (D > ½; for the hinge loss, raw D > 0). For the two "another label" cases,
// RightPreferred is the share of the same images for which D(x|right label) > D(x|wrong label):
// near equilibrium D's outputs hover around ½ for everything, and this paired comparison is what
// shows whether D reads the label.
type CaseResult struct {
	Name           string  `json:"name"`
	MeanD          float64 `json:"mean_d"`
	Accepted       float64 `json:"accepted"`
	RightPreferred float64 `json:"right_preferred,omitempty"`
}

// FourCases feeds a trained conditional discriminator n examples of each case of docs/equations.md §3's
// table: a generated image with the label it was generated for; the same image with another
// label; a real image with its own label; the same real image with another label. Only the
// third should be accepted. real and realLabels are a labelled set (e.g. the test set), of which
// the first n are used; the wrong labels are drawn from seed, never equal to the right one.
func FourCases(t *gan.Model, real *tensors.Tensor, realLabels []int, n int, seed uint64) ([4]CaseResult, error) {
	var out [4]CaseResult
	if !t.Conditional() {
		return out, fmt.Errorf("FourCases needs a conditional GAN")
	}
	if !t.HasDiscriminator() {
		return out, fmt.Errorf("FourCases needs the trained discriminator: this generator file has none (ganlab train cgan writes it into generator.gob)")
	}
	if n <= 0 || n > len(realLabels) || n > real.Shape().Dimensions[0] {
		return out, fmt.Errorf("FourCases: n = %d, want 1…%d (the real examples given)", n, min(len(realLabels), real.Shape().Dimensions[0]))
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	wrong := func(labels []int) []int {
		w := make([]int, len(labels))
		for i, l := range labels {
			w[i] = (l + 1 + rng.IntN(t.Classes-1)) % t.Classes
		}
		return w
	}
	realX := gan.CopyExamples(real, 0, n)
	right := realLabels[:n]
	fakeLabels := BalancedLabels(n, t.Classes)
	fake, err := t.SampleLabeled(fakeLabels)
	if err != nil {
		return out, err
	}
	cases := []struct {
		name   string
		x      *tensors.Tensor
		labels []int
	}{
		{"generated image, its label", fake, fakeLabels},
		{"generated image, another label", fake, wrong(fakeLabels)},
		{"real image, its label", realX, right},
		{"real image, another label", realX, wrong(right)},
	}
	var outputs [4][]float64
	for i, c := range cases {
		d, err := t.DiscriminateLabeled(c.x, c.labels)
		if err != nil {
			return out, err
		}
		outputs[i] = d
		var sum, acc float64
		for _, v := range d {
			sum += v
			if v > t.Config.RealThreshold() {
				acc++
			}
		}
		out[i] = CaseResult{Name: c.name, MeanD: sum / float64(n), Accepted: acc / float64(n)}
	}
	for _, wrongCase := range []int{1, 3} {
		var preferred float64
		for k := range n {
			if outputs[wrongCase-1][k] > outputs[wrongCase][k] {
				preferred++
			}
		}
		out[wrongCase].RightPreferred = preferred / float64(n)
	}
	return out, nil
}

// WriteFourCases prints the four-case table: each case, mean D(x|y), the share accepted, and for
// the wrong-label cases the share of the same images whose right label D prefers.
func WriteFourCases(w io.Writer, cases [4]CaseResult) {
	fmt.Fprintf(w, "%-34s %8s %9s %22s\n", "case", "mean D", "accepted", "right label preferred")
	for _, c := range cases {
		pref := ""
		if c.RightPreferred > 0 {
			pref = fmt.Sprintf("%.1f%%", 100*c.RightPreferred)
		}
		fmt.Fprintf(w, "%-34s %8.3f %8.1f%% %22s\n", c.Name, c.MeanD, 100*c.Accepted, pref)
	}
}
