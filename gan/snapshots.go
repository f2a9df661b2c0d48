package gan

import (
	"fmt"
	"image"
	"sort"

	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/plotting"
)

// snapshotSteps returns the steps at which to take n snapshots of a run of total steps: step 1
// and evenly after, the last at total.
func snapshotSteps(total, n int) map[int]bool {
	out := map[int]bool{}
	for i := range n {
		out[max(1, total*i/(n-1))] = true
	}
	return out
}

// Figure1Recorder takes the four panels of Goodfellow et al.'s Figure 1 during a 1-D run on
// N(μ, σ²): at step 1, two intermediate steps and the last (Analyze1D on μ ± 6σ). Pass OnStep
// to RunOptions.OnStep; Figure adds the final state if the run stopped early. The snapshots are
// kept in the model's History too, so that a resumed run draws the panels from before the resume.
type Figure1Recorder struct {
	Model *Model
	Data  datasets.Gaussian
	taken []*Snapshot1D // this process's snapshots (History loses later ones when a fault restores a checkpoint)
	at    map[int]bool
}

// NewFigure1Recorder records m over a run of steps generator steps.
func NewFigure1Recorder(m *Model, data datasets.Gaussian, steps int) *Figure1Recorder {
	return &Figure1Recorder{Model: m, Data: data, at: snapshotSteps(steps, 4)}
}

// Range is the analysis grid, μ ± 6σ.
func (r *Figure1Recorder) Range() (lo, hi float64) {
	return r.Data.Mu - 6*r.Data.Sigma, r.Data.Mu + 6*r.Data.Sigma
}

func (r *Figure1Recorder) snapshot() (*Snapshot1D, error) {
	lo, hi := r.Range()
	return r.Model.Analyze1D(r.Data, lo, hi, 601, r.Data.Mu, r.Data.Sigma)
}

// Snapshots are the panels so far, by step: those of the run's History and this process's.
func (r *Figure1Recorder) Snapshots() []*Snapshot1D {
	return mergeByStep(r.Model.History.Snapshots1D, r.taken, func(s *Snapshot1D) int { return s.Step })
}

// OnStep takes a snapshot at the recorded steps.
func (r *Figure1Recorder) OnStep(step int) error {
	if !r.at[step] {
		return nil
	}
	s, err := r.snapshot()
	if err == nil {
		r.taken = append(r.taken, s)
		r.Model.History.Snapshots1D = r.Snapshots()
	}
	return err
}

// Figure draws the panels and returns the final snapshot (the model as it is now).
func (r *Figure1Recorder) Figure() (image.Image, *Snapshot1D, error) {
	final, err := r.snapshot()
	if err != nil {
		return nil, nil, err
	}
	var snaps []*Snapshot1D // those of this run's schedule: a resumed run that goes further has another
	for _, s := range r.Snapshots() {
		if r.at[s.Step] {
			snaps = append(snaps, s)
		}
	}
	if n := len(snaps); n == 0 || snaps[n-1].Step != final.Step {
		snaps = append(snaps, final)
	}
	return Figure1(snaps...), final, nil
}

// mergeByStep returns a and b in step order, one per step.
func mergeByStep[T any](a, b []T, step func(T) int) []T {
	byStep := map[int]T{}
	for _, x := range append(append([]T(nil), a...), b...) {
		byStep[step(x)] = x
	}
	steps := make([]int, 0, len(byStep))
	for s := range byStep {
		steps = append(steps, s)
	}
	sort.Ints(steps)
	out := make([]T, len(steps))
	for i, s := range steps {
		out[i] = byStep[s]
	}
	return out
}

// ModeRecorder draws 2000 samples of a 2-D run (from fixed noise, which leaves the training
// noise alone) over the modes of its data at four steps (step 1, two intermediate, the last), with the modes covered (CoverModes). The samples are kept in
// the model's History too, so that a resumed run draws the panels from before the resume.
type ModeRecorder struct {
	Model *Model
	Data  datasets.Distribution2D
	taken []ModeSample
	at    map[int]bool
}

// NewModeRecorder records m over a run of steps generator steps on data.
func NewModeRecorder(m *Model, data datasets.Distribution2D, steps int) *ModeRecorder {
	return &ModeRecorder{Model: m, Data: data, at: snapshotSteps(steps, 4)}
}

// OnStep draws the samples of a panel at the recorded steps.
func (r *ModeRecorder) OnStep(step int) error {
	if !r.at[step] {
		return nil
	}
	z, err := FixedNoise(2000, r.Model.Config.LatentDim, ProgressNoiseSeed) // the training noise must not move
	if err != nil {
		return err
	}
	pts, err := r.Model.Generate2D(z)
	if err != nil {
		return err
	}
	r.taken = append(r.taken, ModeSample{Step: step, Points: pts})
	r.Model.History.ModeSamples = r.samples()
	return nil
}

func (r *ModeRecorder) samples() []ModeSample {
	return mergeByStep(r.Model.History.ModeSamples, r.taken, func(s ModeSample) int { return s.Step })
}

// Figure lays the panels out in a row (drawing the current state if there is none) and returns
// the coverage of the last one.
func (r *ModeRecorder) Figure() (image.Image, ModeCoverage, error) {
	if len(r.samples()) == 0 {
		r.at = map[int]bool{r.Model.Step(): true}
		if err := r.OnStep(r.Model.Step()); err != nil {
			return nil, ModeCoverage{}, err
		}
	}
	modes, sigma := r.Data.Modes(), r.Data.ModeSigma()
	var panels []image.Image
	var last ModeCoverage
	for _, s := range r.samples() {
		if !r.at[s.Step] {
			continue // not of this run's schedule: a resumed run that goes further has another
		}
		last = CoverModes(s.Points, modes, sigma, 0.25/float64(len(modes)))
		p := plotting.Scatter2D(fmt.Sprintf("step %d: %d/%d modes", s.Step, last.Covered, last.Modes), s.Points, modes, 3*sigma)
		panels = append(panels, plotting.Render(3.5*72, 3.5*72, p))
	}
	img, err := plotting.ImageGrid(panels, len(panels), 0, 1)
	return img, last, err
}

// Save writes the run's figure1.png (Figure) and training.png (the curves of the history) into
// dir and returns the final snapshot.
func (r *Figure1Recorder) Save(dir string) (*Snapshot1D, error) {
	fig, final, err := r.Figure()
	if err != nil {
		return nil, err
	}
	return final, plotting.SaveImages(dir, map[string]image.Image{"figure1.png": fig, "training.png": r.Model.History.TrainingFigure(50)})
}

// Save writes the run's modes.png (Figure) and training.png (the curves of the history) into dir
// and returns the coverage of the last panel.
func (r *ModeRecorder) Save(dir string) (ModeCoverage, error) {
	fig, last, err := r.Figure()
	if err != nil {
		return last, err
	}
	return last, plotting.SaveImages(dir, map[string]image.Image{"modes.png": fig, "training.png": r.Model.History.TrainingFigure(50)})
}
