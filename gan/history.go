package gan

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"sort"
	"strconv"
)

// StepRecord is what one generator step measured.
type StepRecord struct {
	Step       int     `json:"step"`
	LossD      float64 `json:"loss_d"`       // discriminator loss of the last of the K updates
	LossG      float64 `json:"loss_g"`       // generator loss
	DReal      float64 `json:"d_real"`       // mean D(x) on the real batch (last D update)
	DFake      float64 `json:"d_fake"`       // mean D(G(z)) on the D update's fake batch
	DFakeAfter float64 `json:"d_fake_after"` // mean D(G(z)) on the generator update's batch (before it moves)
	GradNormD  float64 `json:"grad_norm_d"`
	GradNormG  float64 `json:"grad_norm_g"`
	Seconds    float64 `json:"seconds"`
}

// EvalRecord holds the metrics an evaluation hook returned at a step.
type EvalRecord struct {
	Step    int                `json:"step"`
	Metrics map[string]float64 `json:"metrics"`
}

// History is the record of a training run; it is saved in checkpoints.
type History struct {
	Steps []StepRecord `json:"steps"`
	Evals []EvalRecord `json:"evals,omitempty"`
	// The snapshots behind a run's figures (Figure1Recorder, ModeRecorder), kept in checkpoints so
	// that a resumed run draws the same figures as an uninterrupted one.
	Snapshots1D []*Snapshot1D `json:"-"`
	ModeSamples []ModeSample  `json:"-"`
}

// ModeSample is the generator's 2-D samples at a step (a panel of ModeRecorder's figure).
type ModeSample struct {
	Step   int
	Points [][2]float64
}

// WriteJSON writes the whole history.
func (h *History) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(h)
}

// WriteCSV writes one row per step, with evaluation metrics (when any) as extra columns filled
// at the steps where they were computed.
func (h *History) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	metricNames := map[string]bool{}
	evalAt := map[int]map[string]float64{}
	for _, e := range h.Evals {
		evalAt[e.Step] = e.Metrics
		for k := range e.Metrics {
			metricNames[k] = true
		}
	}
	names := make([]string, 0, len(metricNames))
	for k := range metricNames {
		names = append(names, k)
	}
	sort.Strings(names)
	header := append([]string{"step", "loss_d", "loss_g", "d_real", "d_fake", "d_fake_after", "grad_norm_d", "grad_norm_g", "seconds"}, names...)
	if err := cw.Write(header); err != nil {
		return err
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', 8, 64) }
	for _, r := range h.Steps {
		row := []string{strconv.Itoa(r.Step), f(r.LossD), f(r.LossG), f(r.DReal), f(r.DFake), f(r.DFakeAfter), f(r.GradNormD), f(r.GradNormG), f(r.Seconds)}
		for _, n := range names {
			if v, ok := evalAt[r.Step][n]; ok {
				row = append(row, f(v))
			} else {
				row = append(row, "")
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Series extracts one field over the steps (for plotting).
func (h *History) Series(field func(StepRecord) float64) (steps, values []float64) {
	for _, r := range h.Steps {
		steps = append(steps, float64(r.Step))
		values = append(values, field(r))
	}
	return
}
