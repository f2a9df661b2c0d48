package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/ganlab/ganlab/cgan"
	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/dcgan"
	"github.com/ganlab/ganlab/eval"
	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/internal/cli"
	"github.com/ganlab/ganlab/internal/progress"
)

func init() {
	samplers["dcgan"] = cli.Target{Summary: "samples of a DCGAN generator as a PNG grid or IDX3 images", Run: sampleDCGAN}
	samplers["data"] = cli.Target{Summary: "real training images in the generators' formats (PNG grid or IDX3), to compare like with like", Run: sampleData}
	samplers["cgan"] = cli.Target{Summary: "samples of a conditional generator for one label (-label L) or a class grid, as PNG or IDX3", Run: sampleCGAN}
	evals["dcgan"] = cli.Target{Summary: "classifier score, Fréchet classifier distance and class histogram of DCGAN samples, beside real images", Run: evalDCGAN}
	evals["cgan"] = cli.Target{Summary: "label accuracy per class, classifier score and Fréchet classifier distance of CGAN samples, and the four-case table", Run: evalCGAN}
}

// genFlags are the flags of the commands that sample a generator: a trained or shipped one, how
// many samples, their noise seed, and (for eval) the classifier and a JSON report.
type genFlags struct {
	checkpoint, out, classifier, json string
	n                                 int
	seed                              uint64
	truncation                        float64
	lastStep                          bool   // the last step's weights, not their moving average
	gifOK                             bool   // -o may name a GIF (sample dcgan -run)
	dataset                           string // what an evaluation measures against: the generator must be trained on it
	shipped                           string // the generator without -checkpoint
	newBackend                        func() (compute.Backend, error)
	backend                           compute.Backend
}

func registerGenFlags(fs *flag.FlagSet, shipped string, n int, eval, truncation bool) *genFlags {
	g := &genFlags{}
	if truncation {
		fs.BoolVar(&g.lastStep, "last-step", false, "use the weights of the last training step even when the file holds their moving average (trained with -ema): to measure what the average changes; needs a checkpoint (a run's generator.gob and its exports hold only the average)")
		fs.Float64Var(&g.truncation, "truncation", 0, "draw each component of z from N(0, 1) truncated to ±T (BigGAN's truncation trick: surer samples, less diversity); 0: off, the generator's own prior")
	}
	fs.StringVar(&g.checkpoint, "checkpoint", "", "the generator: a training output directory, checkpoint directory or .gob file (default: "+shipped+")")
	fs.Uint64Var(&g.seed, "seed", 1, "noise seed")
	if eval {
		fs.IntVar(&g.n, "n", n, "generated samples (and real images) to measure")
		fs.StringVar(&g.classifier, "classifier", "", "classifier file (default: the shipped classifier of the dataset)")
		fs.StringVar(&g.json, "json", "", "also write the reports as JSON to this file")
	} else {
		fs.IntVar(&g.n, "n", n, "number of samples")
		fs.StringVar(&g.out, "o", "samples.png", "output: .png (a grid) or .idx (IDX3 uint8 images, MNIST convention: 0 = background)")
	}
	g.newBackend = cli.BackendFlag(fs)
	return g
}

// parse parses and checks the flags (n ≥ minN; -o a .png or .idx, or a GIF when gifOK) and
// makes the backend (none without newBackend: sample data computes nothing).
func (g *genFlags) parse(fs *flag.FlagSet, args []string, minN int) (err error) {
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	switch ext := strings.ToLower(filepath.Ext(g.out)); {
	case g.n < minN:
		return cli.Usagef("-n must be ≥ %d, got %d", minN, g.n)
	case g.out != "" && ext != ".png" && ext != ".idx" && !(g.gifOK && ext == ".gif"):
		return cli.Usagef("-o %s: want a .png or .idx file name", g.out)
	case g.truncation != 0 && gan.CheckTruncation(g.truncation) != nil:
		return cli.Usagef("-truncation must be 0 (off) or a finite number ≥ %g, got %g", gan.MinTruncation, g.truncation)
	}
	if g.newBackend != nil {
		g.backend, err = g.newBackend()
	}
	return err
}

// loadDCGAN loads a DCGAN generator: its moving average when the file holds one, unless
// lastStep asks for the last training step's weights.
func loadDCGAN(b compute.Backend, path string, lastStep bool) (*gan.Model, dcgan.Config, error) {
	if lastStep {
		return dcgan.LoadGeneratorLastStep(b, path)
	}
	return dcgan.LoadGenerator(b, path)
}

// dcganSamples draws -n samples of the -checkpoint generator (the shipped one without it),
// truncated when -truncation is set, and describes the generator in one line.
func (g *genFlags) dcganSamples() (*tensors.Tensor, string, error) {
	path, err := modelFile(g.checkpoint, g.shipped)
	if err != nil {
		return nil, "", err
	}
	m, mc, err := loadDCGAN(g.backend, path, g.lastStep)
	if err != nil {
		return nil, "", err
	}
	if err := g.check(m, mc.ImageSize, mc.Channels); err != nil {
		return nil, "", err
	}
	if size := datasets.DefaultHeads().Size; g.dataset == "heads" && (mc.ImageSize != size || mc.Channels != 3) {
		return nil, "", cli.Usagef("%s draws %d×%d×%d images; the heads evaluator measures %d×%d×3 frames", path, mc.ImageSize, mc.ImageSize, mc.Channels, size, size)
	}
	source := fmt.Sprintf("%s (%s preset %d×%d×%d, step %d)", path, mc.Preset, mc.ImageSize, mc.ImageSize, mc.Channels, m.Step())
	if average := m.Meta[gan.MetaMovingAverage]; average != "" {
		source = fmt.Sprintf("%s, moving average of G's weights (%s)", source, average)
	}
	if g.truncation != 0 {
		source = fmt.Sprintf("%s, z truncated at ±%g", source, g.truncation)
	}
	m.Progress = progress.Reporter("sample")
	samples, err := dcgan.Sample(m, g.n, g.seed, g.truncation)
	return samples, source, err
}

// cgan loads the -checkpoint conditional generator, or the shipped one of dataset (a -dataset
// name), with its noise seeded by -seed.
func (g *genFlags) cgan(dataset string) (*gan.Model, cgan.Config, string, error) {
	name, err := labelled(dataset)
	if err != nil {
		return nil, cgan.Config{}, "", err
	}
	path, err := modelFile(g.checkpoint, shippedCGAN(name))
	if err != nil {
		return nil, cgan.Config{}, "", err
	}
	m, c, err := cgan.LoadGenerator(g.backend, path)
	if err == nil {
		err = g.check(m, c.ImageSize, c.Channels)
	}
	if err == nil {
		err = m.Store.SetRNGStateFromSeed(int64(g.seed))
	}
	return m, c, path, err
}

// check refuses -n samples of size×size×channels that would not fit in memory (the samples,
// their copies and an evaluation's features: about 8 floats a pixel), and a generator whose
// recorded training set is not the one an evaluation measures against.
func (g *genFlags) check(m *gan.Model, size, channels int) error {
	if trained, ok := cli.Recorded(m.Meta)["dataset"]; ok && g.dataset != "" {
		if name, _ := datasets.TrainingName(trained); name != g.dataset {
			return cli.Usagef("the generator was trained on %s; it cannot be measured against %s", trained, g.dataset)
		}
	}
	return cli.CheckMemory("-n", float64(g.n)*float64(size*size*channels)*4*8)
}

// measureAgainst loads the labelled dataset an evaluation measures against and its classifier
// (-classifier, or the shipped one), and makes the generator's check require that dataset.
func (g *genFlags) measureAgainst(dataset string) (name string, train, test *datasets.ImageSet, c *eval.Classifier, err error) {
	if name, train, test, err = loadLabelled(dataset); err == nil {
		g.dataset = name
		c, err = loadClassifier(g.backend, g.classifier, name)
	}
	return name, train, test, c, err
}

func sampleDCGAN(fs *flag.FlagSet, args []string) error {
	g := registerGenFlags(fs, "the shipped generator of -dataset", 64, false, true)
	g.gifOK = true
	dataset := fs.String("dataset", "mnist", "which shipped generator to use without -checkpoint: mnist (32×32×1) or heads (the paper's 64×64×3 model on the talking heads)")
	crop := fs.Int("crop", 0, "centre-crop the samples to S×S before writing (e.g. -crop 28: MNIST-sized images from a generator trained on MNIST padded to 32×32); 0: off")
	run := fs.String("run", "", "instead: a training output directory; -o F.gif gets one frame per checkpoint, the 64 fixed-noise samples of the run's own progress.gif (which a resumed run rewrites with its own steps only)")
	if err := g.parse(fs, args, 1); err != nil {
		return err
	}
	if gif := strings.EqualFold(filepath.Ext(g.out), ".gif"); gif || *run != "" {
		if !gif || *run == "" {
			return cli.Usagef("-run DIR and -o F.gif go together (a GIF of the run's checkpoints)")
		}
		report := progress.StatusReporter("gif of checkpoints")
		frames, err := dcgan.RunGIF(g.backend, *run, g.out, func(i, count, step int) { report(i+1, count, fmt.Sprintf("step %d", step)) })
		if errors.Is(err, dcgan.ErrNoCheckpoints) {
			return cli.Usagef("-run %s: %v", *run, err)
		} else if err == nil {
			fmt.Printf("wrote %s: %d frames, one per checkpoint of %s\n", g.out, frames, *run)
		}
		return err
	}
	if *crop < 0 {
		return cli.Usagef("-crop must be ≥ 0, got %d", *crop)
	}
	if err := g.shippedDCGANOf(*dataset); err != nil {
		return err
	}
	samples, source, err := g.dcganSamples()
	if err != nil {
		return err
	}
	if *crop > 0 {
		if samples, err = eval.CenterCrop(samples, *crop, *crop); err != nil {
			return cli.Usagef("-crop %d: %v", *crop, err)
		}
	}
	if err := gan.WriteSamples(g.out, samples, 0); err != nil {
		return err
	}
	fmt.Printf("wrote %d samples of %s to %s\n", g.n, source, g.out)
	return nil
}

func sampleData(fs *flag.FlagSet, args []string) error {
	g := &genFlags{}
	dataset := fs.String("dataset", "mnist", "mnist, fashion (28×28×1) or heads (the talking-head frames DCGAN trains on, 64×64×3)")
	fs.IntVar(&g.n, "n", 64, "number of distinct training images, drawn at random")
	fs.Uint64Var(&g.seed, "seed", 1, "which images are drawn")
	fs.StringVar(&g.out, "o", "samples.png", "output: .png (a grid) or .idx (IDX3 uint8: [N, H, W], or [N, H, W, 3] for RGB)")
	if err := g.parse(fs, args, 1); err != nil {
		return err
	}
	name, err := datasets.TrainingName(*dataset)
	if err != nil {
		return cli.Usagef("%v", err)
	}
	set, err := datasets.TrainingImages(name, g.n, g.seed)
	if err == nil {
		err = gan.WriteSamples(g.out, eval.SetTensor(set, 0), 0)
	}
	if err == nil {
		fmt.Printf("wrote %d %s training images (%d×%d×%d, seed %d) to %s\n", set.N, name, set.H, set.W, set.C, g.seed, g.out)
	}
	return err
}

func sampleCGAN(fs *flag.FlagSet, args []string) error {
	g := registerGenFlags(fs, "the shipped generator of -dataset", 64, false, false)
	dataset := fs.String("dataset", "mnist", "which shipped generator to use without -checkpoint: mnist or fashion")
	label := fs.Int("label", -1, "class label of every sample; -1: a class grid (one row per class, the same z down each column)")
	if err := g.parse(fs, args, 1); err != nil {
		return err
	}
	m, c, source, err := g.cgan(*dataset)
	if err != nil {
		return err
	}
	if *label < -1 || *label >= c.Classes {
		return cli.Usagef("-label %d: want a class in [0, %d), or -1 for a class grid", *label, c.Classes)
	}
	var samples *tensors.Tensor
	name, _ := labelled(*dataset) // checked by g.cgan
	what, names := "a class grid", map[string][]string{"mnist": datasets.MNISTClasses, "fashion": datasets.FashionMNISTClasses}[name]
	if *label == -1 {
		samples, err = cgan.WriteClassGrid(g.out, m, names, max(g.n/c.Classes, 1), g.seed)
	} else {
		what = fmt.Sprintf("label %d", *label)
		if samples, err = m.SampleLabeled(cgan.Repeated(*label, g.n)); err == nil {
			err = gan.WriteSamples(g.out, samples, 0)
		}
	}
	if err != nil {
		return err
	}
	fmt.Printf("wrote %d samples (%s) of %s to %s\n", samples.Shape().Dimensions[0], what, source, g.out)
	return nil
}

func evalDCGAN(fs *flag.FlagSet, args []string) error {
	g := registerGenFlags(fs, "the shipped generator of -dataset", 10000, true, true)
	dataset := fs.String("dataset", "mnist", "mnist (the classifier's score, Fréchet distance and class histogram, against the MNIST test images) or heads (the heads evaluator's Fréchet distance and attribute coverage, against training frames)")
	run := fs.String("run", "", "instead: measure every checkpoint of this training output directory and write score-curve.csv and score-curve.png into it (mnist)")
	samplesFile := fs.String("samples", "", "instead: score these images, IDX3 uint8 as `ganlab sample dcgan -o F.idx` writes them (e.g. another implementation's samples)")
	if err := g.parse(fs, args, 2); err != nil {
		return err
	}
	if *run != "" && g.truncation != 0 {
		return cli.Usagef("-truncation applies to one generator, not to -run's score curve")
	}
	if err := g.shippedDCGANOf(*dataset); err != nil {
		return err
	}
	var train, test *datasets.ImageSet
	var c *eval.Classifier
	var err error
	reference := "the %d MNIST test images"
	if *dataset == "heads" {
		if *run != "" {
			return cli.Usagef("-run measures MNIST runs; measure a heads checkpoint with -checkpoint")
		}
		if 2*g.n > datasets.HeadsTrainingFrames {
			return cli.Usagef("-n %d: the heads evaluation draws 2n distinct training frames, 2n ≤ %d", g.n, datasets.HeadsTrainingFrames)
		}
		g.dataset, reference = "heads", "%d other training frames"
		if c, err = loadClassifier(g.backend, g.classifier, "heads-attributes"); err == nil {
			train, test, err = datasets.DisjointTrainingImages("heads", g.n, g.seed)
		}
	} else {
		_, train, test, c, err = g.measureAgainst("mnist")
	}
	if err != nil {
		return err
	}
	if *run != "" {
		return g.scoreCurve(c, test, *run)
	}
	draw := g.dcganSamples
	if *samplesFile != "" {
		draw = func() (*tensors.Tensor, string, error) { return idxSamples(*samplesFile, g.n, test) }
	}
	samples, source, err := draw()
	if err != nil {
		return err
	}
	c.Progress = progress.Reporter("classify")
	gen, real, err := c.AgainstReal(train, test, samples, nil, g.n)
	if err != nil {
		return err
	}
	fmt.Printf("generator %s; classifier %s (test accuracy %.2f%%); reference: "+reference+"\n\n", source, c.Name, 100*c.TestAccuracy, test.N)
	eval.WriteTable(os.Stdout, c.Classes, gen, real)
	if c.Attributes != nil {
		fmt.Printf("\nFréchet distance generated / real: %.2f\nmean distance of two images generated / real: %.2f\n\n", gen.FCD/real.FCD, gen.PairDistance/real.PairDistance)
		eval.WriteCoverage(os.Stdout, c.Classes, gen, real, 0.3)
	}
	return cli.WriteJSON(g.json, []eval.Report{gen, real})
}

// shippedDCGANOf makes -dataset's shipped generator the default of -checkpoint.
func (g *genFlags) shippedDCGANOf(dataset string) error {
	if dataset != "mnist" && dataset != "heads" {
		return cli.Usagef("-dataset %q: want mnist or heads", dataset)
	}
	g.shipped = shippedDCGAN(dataset)
	return nil
}

// idxSamples reads up to n images of an IDX3 file to be measured against test's images.
func idxSamples(path string, n int, test *datasets.ImageSet) (*tensors.Tensor, string, error) {
	set, err := datasets.LoadIDXImages(path, "", "samples", nil)
	if err != nil {
		return nil, "", err
	}
	if set.H < test.H || set.W < test.W || set.C != test.C { // larger ones are centre-cropped, as a generator's samples are
		return nil, "", cli.Usagef("-samples %s holds %d×%d×%d images; the classifier takes %d×%d×%d", path, set.H, set.W, set.C, test.H, test.W, test.C)
	}
	return eval.SetTensor(set, n), fmt.Sprintf("%s (%d images)", path, min(n, set.N)), nil
}

// scoreCurve measures every checkpoint of a training run (-n samples each, against the test
// set) and writes run/score-curve.csv and run/score-curve.png.
func (g *genFlags) scoreCurve(c *eval.Classifier, test *datasets.ImageSet, run string) error {
	report := progress.StatusReporter("eval checkpoints")
	points, err := dcgan.ScoreRun(g.backend, c, test, run, g.n, g.seed, func(i, count int, p eval.CurvePoint) {
		report(i+1, count, fmt.Sprintf("step %d: score %.2f", p.Step, p.Report.ClassifierScore))
	})
	if errors.Is(err, dcgan.ErrNoCheckpoints) {
		return cli.Usagef("-run %s: %v", run, err)
	} else if err != nil {
		return err
	}
	fmt.Print(eval.CurveCSV(points))
	path, err := eval.WriteCurve(run, points, g.n)
	if err == nil {
		fmt.Printf("wrote %s and %s\n", path, filepath.Join(run, "score-curve.csv"))
	}
	return err
}

func evalCGAN(fs *flag.FlagSet, args []string) error {
	g := registerGenFlags(fs, "the shipped generator of -dataset", 10000, true, false)
	dataset := fs.String("dataset", "mnist", "mnist or fashion: the shipped generator (without -checkpoint), the classifier and the real test set")
	if err := g.parse(fs, args, 2); err != nil {
		return err
	}
	name, train, test, c, err := g.measureAgainst(*dataset)
	if err != nil {
		return err
	}
	m, _, source, err := g.cgan(name)
	if err != nil {
		return err
	}
	if g.n < m.Classes {
		return cli.Usagef("-n %d: want at least one sample per class (%d)", g.n, m.Classes)
	}
	m.Progress, c.Progress = progress.Reporter("sample"), progress.Reporter("classify")
	ev, err := cgan.Evaluate(m, c, train, test, g.n, g.seed)
	if err != nil {
		return err
	}
	fmt.Printf("generator %s; classifier %s (test accuracy %.2f%%); reference: the %d %s test images\n\n", source, c.Name, 100*c.TestAccuracy, test.N, name)
	eval.WriteTable(os.Stdout, c.Classes, ev.Generated, ev.Real)
	if ev.FourCases != nil {
		fmt.Printf("\nthe trained discriminator on %[1]d %[2]s test images and %[1]d generated ones (the four cases of docs/equations.md §3):\n", min(g.n, test.N), name)
		cgan.WriteFourCases(os.Stdout, *ev.FourCases)
	}
	return cli.WriteJSON(g.json, []eval.Report{ev.Generated, ev.Real})
}
