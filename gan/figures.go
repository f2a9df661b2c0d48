package gan

import (
	"fmt"
	"image"

	"gonum.org/v1/plot"

	"github.com/ganlab/ganlab/plotting"
)

// LossCurves plots both losses over generator steps, smoothed over window steps.
func (h *History) LossCurves(window int) *plot.Plot {
	steps, lossD := h.Series(func(r StepRecord) float64 { return r.LossD })
	_, lossG := h.Series(func(r StepRecord) float64 { return r.LossG })
	return plotting.Curves("losses", "generator step", "loss", window,
		plotting.Series{Name: "discriminator", X: steps, Y: lossD},
		plotting.Series{Name: "generator", X: steps, Y: lossG})
}

// DOutputCurves plots mean D(x) and D(G(z)) over steps: the diagnostic that tells a working run
// (both near ½ at equilibrium, or D(x) a little above D(G(z))) from a failing one (D(x) → 1 and
// D(G(z)) → 0: the discriminator has won and the generator's gradients vanish).
func (h *History) DOutputCurves(window int) *plot.Plot {
	steps, dReal := h.Series(func(r StepRecord) float64 { return r.DReal })
	_, dFake := h.Series(func(r StepRecord) float64 { return r.DFake })
	p := plotting.Curves("discriminator outputs", "generator step", "mean D", window,
		plotting.Series{Name: "D(x), real", X: steps, Y: dReal},
		plotting.Series{Name: "D(G(z)), generated", X: steps, Y: dFake})
	p.Y.Min, p.Y.Max = 0, 1
	if len(steps) > 0 {
		p.X.Min, p.X.Max = steps[0], steps[len(steps)-1]
		plotting.HorizontalLine(p, 0.5, "½ (equilibrium)")
	}
	return p
}

// GradNormCurves plots the gradient norms of both networks.
func (h *History) GradNormCurves(window int) *plot.Plot {
	steps, nD := h.Series(func(r StepRecord) float64 { return r.GradNormD })
	_, nG := h.Series(func(r StepRecord) float64 { return r.GradNormG })
	return plotting.Curves("gradient norms", "generator step", "gradient norm", window,
		plotting.Series{Name: "discriminator", X: steps, Y: nD},
		plotting.Series{Name: "generator", X: steps, Y: nG})
}

// TrainingFigure renders losses, D outputs and gradient norms side by side.
func (h *History) TrainingFigure(window int) image.Image {
	return plotting.Render(plotting.DefaultWidth, plotting.DefaultHeight, h.LossCurves(window), h.DOutputCurves(window), h.GradNormCurves(window))
}

// Figure1Data converts a snapshot for plotting.Figure1.
func (s *Snapshot1D) Figure1Data() plotting.Figure1Data {
	return plotting.Figure1Data{
		Title: fmt.Sprintf("step %d: JS %.3g, |D−D*| %.2f", s.Step, s.JS, s.MeanAbsDMinusDStar),
		X:     s.X, PData: s.PData, PG: s.PG, D: s.D, Z: s.Z, GZ: s.GZ,
	}
}

// Figure1 renders snapshots taken during training side by side, the paper's Figure 1 from a
// real run.
func Figure1(snaps ...*Snapshot1D) image.Image {
	data := make([]plotting.Figure1Data, len(snaps))
	for i, s := range snaps {
		data[i] = s.Figure1Data()
		data[i].Title = fmt.Sprintf("(%c) ", 'a'+i) + data[i].Title
	}
	return plotting.Figure1(data...)
}
