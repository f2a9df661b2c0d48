package gan

import (
	"fmt"
	"image"

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
// to RunOptions.OnStep; Figure adds the final state if the run stopped early.
type Figure1Recorder struct {
	Model     *Model
	Data      datasets.Gaussian
	Snapshots []*Snapshot1D
	at        map[int]bool
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

// OnStep takes a snapshot at the recorded steps.
func (r *Figure1Recorder) OnStep(step int) error {
	if !r.at[step] {
		return nil
	}
	s, err := r.snapshot()
	if err == nil {
		r.Snapshots = append(r.Snapshots, s)
	}
	return err
}

// Figure draws the panels and returns the final snapshot (the model as it is now).
func (r *Figure1Recorder) Figure() (image.Image, *Snapshot1D, error) {
	final, err := r.snapshot()
	if err != nil {
		return nil, nil, err
	}
	if n := len(r.Snapshots); n == 0 || r.Snapshots[n-1].Step != final.Step {
		r.Snapshots = append(r.Snapshots, final)
	}
	return Figure1(r.Snapshots...), final, nil
}

// ModeRecorder draws 2000 samples of a 2-D run over the modes of its data at four steps (step
// 1, two intermediate, the last), with the modes covered (CoverModes).
type ModeRecorder struct {
	Model  *Model
	Data   datasets.Distribution2D
	Panels []image.Image
	Last   ModeCoverage
	at     map[int]bool
}

// NewModeRecorder records m over a run of steps generator steps on data.
func NewModeRecorder(m *Model, data datasets.Distribution2D, steps int) *ModeRecorder {
	return &ModeRecorder{Model: m, Data: data, at: snapshotSteps(steps, 4)}
}

// OnStep draws a panel at the recorded steps.
func (r *ModeRecorder) OnStep(step int) error {
	if !r.at[step] {
		return nil
	}
	pts, err := r.Model.Samples2D(2000)
	if err != nil {
		return err
	}
	modes := r.Data.Modes()
	sigma := r.Data.ModeSigma()
	r.Last = CoverModes(pts, modes, sigma, 0.25/float64(len(modes)))
	p := plotting.Scatter2D(fmt.Sprintf("step %d: %d/%d modes", step, r.Last.Covered, r.Last.Modes), pts, modes, 3*sigma)
	r.Panels = append(r.Panels, plotting.Render(3.5*72, 3.5*72, p))
	return nil
}

// Figure lays the panels out in a row (drawing the current state if there is none).
func (r *ModeRecorder) Figure() (image.Image, error) {
	if len(r.Panels) == 0 {
		r.at = map[int]bool{r.Model.Step(): true}
		if err := r.OnStep(r.Model.Step()); err != nil {
			return nil, err
		}
	}
	return plotting.ImageGrid(r.Panels, len(r.Panels), 0, 1)
}
