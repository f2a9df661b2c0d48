package avatar

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/gomlx/gomlx/support/exceptions"

	"github.com/ganlab/ganlab/blocks"
	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/internal/parallel"
	"github.com/ganlab/ganlab/internal/storeio"
)

// generatorScope holds every generator-side module (embedder, texture generator, AdaIN
// projection, per-frame generator): what a shipped model keeps.
const generatorScope = "generator"

// StepRecord is one training step.
type StepRecord struct {
	Step                      int
	LossG, LossD, Adversarial float64
	L1                        float64 // the output's L1 against the target, weighted by pixelWeights
	FeatureMatching           float64
	LowFrequency              float64 // bi-layer: L1 of x̂_LF against its target, weighted by pixelWeights
	FlowRoughness             float64 // bi-layer: mean |∇ω| in pixels per pixel
	Seconds                   float64
}

// Model is a bi-layer (or baseline) avatar model with its weights and training state.
type Model struct {
	Config  Config
	Backend compute.Backend
	Store   *model.Store
	History []StepRecord
	// Progress, if set, hears how many held-out identities Evaluate has measured.
	Progress func(done, total int)

	step        int
	trainExec   *model.Exec
	initExec    *blocks.InferenceExec
	enhanceExec *blocks.InferenceExec
	renders     *blocks.InferenceExec
	layers      *blocks.InferenceExec
}

// New creates an untrained model.
func New(backend compute.Backend, c Config) (*Model, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if backend == nil {
		return nil, errors.New("avatar.New: a backend is required")
	}
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, int64(c.Seed))
	return &Model{Config: c, Backend: backend, Store: store}, nil
}

// Step is the number of training steps done.
func (m *Model) Step() int { return m.step }

// identity runs the once-per-avatar part: embedding, AdaIN parameters and, bi-layer, the
// texture and the source landmarks' share of the per-frame generator's first layer (sourceTerm).
func (m *Model) identity(scope *model.Scope, img, lmk *Node) (e, adain, texture, srcTerm *Node) {
	c := m.Config
	gs := scope.At(generatorScope)
	e = c.embed(gs.In(embedderScope), img, lmk)
	adain = c.adainParams(gs.In(adainScope), e)
	if c.Kind == BiLayer {
		// Twice: (1 − blur)² is a steeper filter than (1 − blur), which keeps much of the band
		// just above the cutoff; here, once per avatar, it costs nothing per frame.
		texture = c.highPass(c.highPass(c.texture(gs.In(textureScope), img, lmk, e)))
		srcTerm = c.sourceTerm(gs.In(inferenceScope), lmk)
	}
	return
}

// frame renders the target landmarks lmk of an avatar; srcTerm (sourceTerm of the source's
// landmarks), baseFlow (BaseFlow from the target's landmarks to the source's) and table (the
// texture's blocks.CornerTable) are bi-layer only, nil for the baseline.
func (m *Model) frame(scope *model.Scope, lmk, srcTerm, baseFlow, adain, table *Node) Frame {
	return m.Config.render(scope.At(generatorScope).In(inferenceScope), lmk, srcTerm, baseFlow, adain, table)
}

func (m *Model) buildTrain() error {
	if m.trainExec != nil {
		return nil
	}
	c := m.Config
	optG := optimizer.Adam().LearningRate(c.LearningRate).Betas(0.5, 0.999).Scope("adam_generator").Done()
	optD := optimizer.Adam().LearningRate(c.LearningRate).Betas(0.5, 0.999).Scope("adam_discriminator").Done()
	var err error
	m.trainExec, err = model.NewExec(m.Backend, m.Store, func(scope *model.Scope, in []*Node) []*Node {
		srcImg, srcLmk, tgtImg, tgtLmk, baseFlow := in[0], in[1], in[2], in[3], in[4]
		scope.SetTraining(srcImg.Graph(), true)
		_, adain, texture, srcTerm := m.identity(scope, srcImg, srcLmk)
		var table *Node
		if texture != nil {
			table = blocks.CornerTable(texture)
		}
		f := m.frame(scope, tgtLmk, srcTerm, baseFlow, adain, table)
		out := f.Output
		lReal, fReal := discriminate(scope.At(discScope), tgtImg, tgtLmk)
		lFake, fFake := discriminate(scope.At(discScope), out, tgtLmk)
		// L1, with the pixels that the expression changes weighted up (pixelWeights): they are a
		// few percent of the frame, and the source frame has nothing to say about them.
		areas := StopGradient(c.expressionAreas(tgtLmk))
		weights := c.pixelWeights(areas)
		l1 := ReduceAllMean(Mul(weights, Abs(Sub(out, tgtImg))))
		adv := ReduceAllMean(Softplus(Neg(lFake))) // non-saturating
		var fm *Node
		for i := range fReal {
			d := ReduceAllMean(Abs(Sub(fFake[i], StopGradient(fReal[i]))))
			if fm == nil {
				fm = d
			} else {
				fm = Add(fm, d)
			}
		}
		lossG := Add(Add(MulScalar(l1, c.L1Weight), MulScalar(adv, c.AdversarialWeight)), MulScalar(fm, c.FeatureMatchingWeight))
		lf, smooth := ScalarZero(out.Graph(), out.DType()), ScalarZero(out.Graph(), out.DType())
		if c.Kind == BiLayer {
			// The split, supervised: x̂_LF against its target (lowFrequencyTarget: the target's low
			// frequencies, and its eyes and mouth as they are), and a smooth ω, so that the warp
			// moves detail with the pose rather than copying it pixel by pixel.
			lf = ReduceAllMean(Mul(weights, Abs(Sub(f.LowFrequency, StopGradient(c.lowFrequencyTarget(tgtImg, c.sharpAreas(tgtLmk, areas)))))))
			smooth = flowRoughness(f.Flow)
			lossG = Add(lossG, Add(MulScalar(lf, c.LowFrequencyWeight), MulScalar(smooth, c.FlowSmoothnessWeight)))
		}
		lossD := Add(ReduceAllMean(Softplus(Neg(lReal))), ReduceAllMean(Softplus(lFake)))
		gan.ApplyGradients(scope.At(discScope), optD, lossD)
		gan.ApplyGradients(scope.At(generatorScope), optG, lossG)
		return []*Node{lossG, lossD, l1, adv, fm, lf, smooth}
	})
	return err
}

// flowRoughness is the mean absolute difference of neighbouring flow vectors [B, S, S, 2]
// (total variation per pixel).
func flowRoughness(flow *Node) *Node {
	s := flow.Shape().Dimensions[1]
	dy := Sub(Slice(flow, AxisRange(), AxisRange(1, s)), Slice(flow, AxisRange(), AxisRange(0, s-1)))
	dx := Sub(Slice(flow, AxisRange(), AxisRange(), AxisRange(1, s)), Slice(flow, AxisRange(), AxisRange(), AxisRange(0, s-1)))
	return Add(ReduceAllMean(Abs(dy)), ReduceAllMean(Abs(dx)))
}

// trainingBatch draws the batch of step: for each of BatchSize random training identities, two
// random poses (source and target). Batch i depends only on (Seed, i).
func (m *Model) trainingBatch(heads datasets.Heads, step int) []*tensors.Tensor {
	c := m.Config
	rng := rand.New(rand.NewPCG(c.Seed, uint64(step)))
	s, b, lc := c.Size, c.BatchSize, LandmarkChannels
	ids := make([]datasets.HeadIdentity, b)
	poses := make([][2]datasets.HeadPose, b)
	for i := range b { // drawn in order, rendered in parallel: batches do not depend on the CPU count
		ids[i] = heads.Identity(rng.IntN(heads.Train))
		poses[i] = [2]datasets.HeadPose{datasets.RandomHeadPose(rng), datasets.RandomHeadPose(rng)}
	}
	img, lm, fl := s*s*3, s*s*lc, s*s/2
	bufs := [5][]float32{make([]float32, b*img), make([]float32, b*lm), make([]float32, b*img), make([]float32, b*lm), make([]float32, b*fl)}
	parallel.For(b, func(i int) {
		var points [2][][2]float64
		for k := range 2 {
			rgb, lmk, _ := datasets.RenderHead(ids[i], poses[i][k], s)
			r, _ := Rasterize(lmk, s)
			for n, v := range rgb {
				bufs[2*k][i*img+n] = 2*v - 1
			}
			copy(bufs[2*k+1][i*lm:], r)
			points[k] = lmk
		}
		if c.Kind == BiLayer { // the baseline's graph ignores it
			flow, _ := BaseFlow(points[1], points[0], s)
			copy(bufs[4][i*fl:], flow)
		}
	})
	return []*tensors.Tensor{
		tensors.FromFlatDataAndDimensions(bufs[0], b, s, s, 3), tensors.FromFlatDataAndDimensions(bufs[1], b, s, s, lc),
		tensors.FromFlatDataAndDimensions(bufs[2], b, s, s, 3), tensors.FromFlatDataAndDimensions(bufs[3], b, s, s, lc),
		tensors.FromFlatDataAndDimensions(bufs[4], b, s/2, s/2, 2),
	}
}

// TrainStep runs one simultaneous update of the generator modules and the discriminator on a
// fresh batch of the training identities of heads.
func (m *Model) TrainStep(heads datasets.Heads) (rec StepRecord, err error) {
	if heads.Size != m.Config.Size {
		return rec, fmt.Errorf("avatar: the data is %d×%d, the model %d×%d", heads.Size, heads.Size, m.Config.Size, m.Config.Size)
	}
	if err := heads.Validate(); err != nil {
		return rec, err
	}
	if e := exceptions.TryCatch[error](func() { err = m.buildTrain() }); e != nil || err != nil {
		return rec, fmt.Errorf("building the training graph: %w", errors.Join(e, err))
	}
	start := time.Now()
	batch := m.trainingBatch(heads, m.step)
	out, err := m.trainExec.Exec(batch[0], batch[1], batch[2], batch[3], batch[4])
	if err != nil {
		return rec, err
	}
	v := make([]float64, len(out))
	for i, o := range out {
		v[i] = float64(tensors.ToScalar[float32](o))
		o.FinalizeAll()
	}
	rec = StepRecord{Step: m.step + 1, LossG: v[0], LossD: v[1], L1: v[2], Adversarial: v[3], FeatureMatching: v[4],
		LowFrequency: v[5], FlowRoughness: v[6], Seconds: time.Since(start).Seconds()}
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return rec, &gan.DivergenceError{Step: rec.Step, What: "avatar loss", Value: x}
		}
	}
	m.step++
	m.History = append(m.History, rec)
	return rec, nil
}

// file is the on-disk format.
type file struct {
	Format    string
	Config    Config
	Step      int
	History   []StepRecord
	Variables []storeio.Variable
}

// fileFormat names the layout of the model file. earlierFormats are the layouts whose weights
// do not fit this version's generators, by kind: ganlab-avatar-1 is the bi-layer model before
// the split was enforced; ganlab-avatar-2 rasterised four landmark channels (no filled eyes and
// mouth) into a per-frame generator that stopped at S/4, for both kinds; ganlab-avatar-3 is the
// bi-layer model without the texture's gate; ganlab-avatar-4 is the bi-layer model that drew
// x̂_LF at half resolution and convolved the source landmarks every frame (the baseline's layout
// did not change after ganlab-avatar-2).
const fileFormat = "ganlab-avatar-5"

var earlierFormats = map[Kind][]string{
	BiLayer:  {"ganlab-avatar-1", "ganlab-avatar-2", "ganlab-avatar-3", "ganlab-avatar-4"},
	Baseline: {"ganlab-avatar-1", "ganlab-avatar-2"},
}

// sameLayout lists the formats older than fileFormat that a kind still reads.
var sameLayout = map[Kind][]string{Baseline: {"ganlab-avatar-3", "ganlab-avatar-4"}}

// Save writes the model atomically. full keeps everything needed to resume training
// (discriminator, optimizer moments); otherwise only the generator modules are kept (the
// shipped format: all that Init and Render need).
func (m *Model) Save(path string, full bool) error {
	prefix := "/" + generatorScope + "/"
	var keep func(*model.Variable) bool
	if !full {
		keep = func(v *model.Variable) bool { return strings.HasPrefix(v.Path(), prefix) }
	}
	vars, err := storeio.Collect(m.Store, keep)
	if err != nil {
		return fmt.Errorf("avatar: not saving %s: %w", path, err)
	}
	f := &file{Format: fileFormat, Config: m.Config, Step: m.step, History: m.History, Variables: vars}
	if full {
		return storeio.WriteGob(path, f)
	}
	return storeio.WriteGobCompressed(path, f) // the shipped format
}

// LoadKind reads a model written by Save and checks that it is of kind.
func LoadKind(backend compute.Backend, path string, kind Kind) (*Model, error) {
	m, err := Load(backend, path)
	if err == nil && m.Config.Kind != kind {
		return nil, fmt.Errorf("%s is a %s model, not %s", path, m.Config.Kind, kind)
	}
	return m, err
}

// Load reads a model written by Save.
func Load(backend compute.Backend, path string) (*Model, error) {
	f, err := readFile(path)
	if err != nil {
		return nil, err
	}
	m, err := New(backend, f.Config)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, m.restore(path, f)
}

func readFile(path string) (*file, error) {
	var f file
	if err := storeio.ReadGob(path, "avatar model", &f); err != nil {
		return nil, err
	}
	if slices.Contains(earlierFormats[f.Config.Kind], f.Format) {
		return nil, fmt.Errorf("%s: a %s avatar model of an earlier layout (%s), whose weights do not fit this version's generators: train it again (ganlab train avatar)", path, f.Config.Kind, f.Format)
	}
	if f.Format != fileFormat && !slices.Contains(sameLayout[f.Config.Kind], f.Format) {
		return nil, fmt.Errorf("%s: format %q, want %q (not an avatar model?)", path, f.Format, fileFormat)
	}
	return &f, nil
}

func (m *Model) restore(path string, f *file) error {
	if err := storeio.Restore(m.Store, f.Variables, "avatar model "+path); err != nil {
		return err
	}
	m.step, m.History = f.Step, f.History
	return nil
}

// imageTensor converts an image [S·S·3] in [0, 1] to [1, S, S, 3] in [−1, 1].
func imageTensor(img []float32, size int) *tensors.Tensor {
	data := make([]float32, len(img))
	for i, v := range img {
		data[i] = 2*v - 1
	}
	return tensors.FromFlatDataAndDimensions(data, 1, size, size, 3)
}
