package eval

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gomlx/gomlx/core/tensors"
	"gonum.org/v1/plot/vg"

	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/plotting"
)

// CurvePoint is the Report of one generator of a sequence (a run's checkpoints) at its step.
type CurvePoint struct {
	Step   int
	Report Report
}

// Curve measures count generators against reference: sample(i) returns the i-th one's step and
// its samples; done, if set, is called after each.
func (c *Classifier) Curve(count int, reference Gaussian, sample func(i int) (step int, images *tensors.Tensor, err error), done func(i int, p CurvePoint)) ([]CurvePoint, error) {
	var points []CurvePoint
	for i := range count {
		step, images, err := sample(i)
		if err != nil {
			return nil, err
		}
		r, err := c.Measure(fmt.Sprintf("step %d", step), images, reference, nil)
		if err != nil {
			return nil, err
		}
		points = append(points, CurvePoint{Step: step, Report: r})
		if done != nil {
			done(i, points[i])
		}
	}
	return points, nil
}

// CurveCSV is the curve as CSV: step, classifier score, Fréchet classifier distance, smallest
// class share.
func CurveCSV(points []CurvePoint) string {
	var csv strings.Builder
	csv.WriteString("step,classifier_score,frechet_classifier_distance,min_class_share\n")
	for _, p := range points {
		fmt.Fprintf(&csv, "%d,%.4f,%.3f,%.4f\n", p.Step, p.Report.ClassifierScore, p.Report.FCD, p.Report.MinClassShare)
	}
	return csv.String()
}

// WriteCurve writes dir/score-curve.csv and dir/score-curve.png (the classifier score and the
// Fréchet classifier distance over the steps, n samples per point) and returns the PNG's path.
func WriteCurve(dir string, points []CurvePoint, n int) (string, error) {
	if err := os.WriteFile(filepath.Join(dir, "score-curve.csv"), []byte(CurveCSV(points)), 0o644); err != nil {
		return "", err
	}
	var steps, scores, fcds []float64
	for _, p := range points {
		steps, scores, fcds = append(steps, float64(p.Step)), append(scores, p.Report.ClassifierScore), append(fcds, p.Report.FCD)
	}
	score := plotting.Curves(fmt.Sprintf("classifier score (max 10), %d samples per checkpoint", n), "generator step", "score", 0,
		plotting.Series{Name: "checkpoint", X: steps, Y: scores})
	score.Legend.Top = false // the score rises to the top right
	fcd := plotting.Curves("Fréchet classifier distance", "generator step", "distance", 0,
		plotting.Series{Name: "checkpoint", X: steps, Y: fcds})
	path := filepath.Join(dir, "score-curve.png")
	return path, plotting.SaveImage(path, plotting.Render(5*vg.Inch, 3.2*vg.Inch, score, fcd))
}

// AgainstReal measures generated samples and, beside them, n real training images, both
// against the Gaussian of the test set's features. labels are the requested labels of a
// conditional generator (nil otherwise); the real images are then measured against their own.
func (c *Classifier) AgainstReal(train, test *datasets.ImageSet, samples *tensors.Tensor, labels []int, n int) (gen, real Report, err error) {
	reference, err := c.Reference(SetTensor(test, 0))
	if err != nil {
		return gen, real, err
	}
	if gen, err = c.Measure("generated", samples, reference, labels); err != nil {
		return gen, real, err
	}
	var realLabels []int
	if labels != nil {
		realLabels = train.Labels[:min(n, train.N)]
	}
	real, err = c.Measure("real (train)", SetTensor(train, n), reference, realLabels)
	return gen, real, err
}
