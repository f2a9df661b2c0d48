package eval

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/gomlx/gomlx/core/tensors"
)

// Report is every metric for one set of images. The …SE fields are standard errors: bootstrap
// ones (BootstrapRounds resamples of the images) for the classifier score and the Fréchet
// distance, binomial ones for shares.
type Report struct {
	Name              string  `json:"name"`
	N                 int     `json:"n"`
	ClassifierScore   float64 `json:"classifier_score"`
	ClassifierScoreSE float64 `json:"classifier_score_se"`
	FCD               float64 `json:"frechet_classifier_distance"` // against the reference Gaussian (the test set's features)
	FCDSE             float64 `json:"frechet_classifier_distance_se"`
	// KID is the kernel classifier distance to the reference's features (KernelDistance), when
	// the reference kept them (Classifier.Reference does).
	KID   float64 `json:"kernel_classifier_distance"`
	KIDSE float64 `json:"kernel_classifier_distance_se"`
	// Histogram is the share of each class; for an attribute classifier, of each attribute's
	// values (Classifier.Classes), one histogram per attribute.
	Histogram     []float64 `json:"class_histogram"`
	MinClassShare float64   `json:"min_class_share"`
	// PairDistance is the mean distance between two images of the set (MeanPairDistance): it falls
	// when a generator collapses.
	PairDistance   float64 `json:"pair_distance"`
	PairDistanceSE float64 `json:"pair_distance_se"`
	// LabelAccuracy is the share classified as the requested label (conditional generators only).
	LabelAccuracy   *float64  `json:"label_accuracy,omitempty"`
	LabelAccuracySE float64   `json:"label_accuracy_se,omitempty"`
	PerLabel        []float64 `json:"per_label_accuracy,omitempty"`
}

// Reference fits the Gaussian of the classifier's features on real images (the test set): the
// reference of every Fréchet classifier distance. It keeps the features for the kernel distance.
func (c *Classifier) Reference(images *tensors.Tensor) (Gaussian, error) {
	_, feats, err := c.Predict(images)
	if err != nil {
		return Gaussian{}, err
	}
	g, err := FitGaussian(feats)
	g.features = feats
	return g, err
}

// Measure computes a Report for images; labels (nil if unconditional) are the requested classes.
func (c *Classifier) Measure(name string, images *tensors.Tensor, reference Gaussian, labels []int) (Report, error) {
	probs, feats, err := c.Predict(images)
	if err != nil {
		return Report{}, err
	}
	g, err := FitGaussian(feats)
	if err != nil {
		return Report{}, err
	}
	fcd, err := FrechetDistance(g, reference)
	if err != nil {
		return Report{}, err
	}
	r := Report{Name: name, N: len(probs), FCD: fcd}
	if r.ClassifierScoreSE, r.FCDSE, err = bootstrapErrors(probs, feats, reference); err != nil {
		return Report{}, err
	}
	if c.Attributes == nil {
		r.ClassifierScore, r.Histogram = ClassifierScore(probs), ClassHistogram(probs)
	} else { // one softmax per attribute: no classifier score; a histogram per attribute
		r.ClassifierScoreSE, r.Histogram = 0, c.attributeShares(probs)
	}
	if r.PairDistance, r.PairDistanceSE, err = MeanPairDistance(images); err != nil {
		return Report{}, err
	}
	if reference.features != nil {
		if r.KID, r.KIDSE, err = KernelDistance(feats, reference.features); err != nil {
			return Report{}, err
		}
	}
	r.MinClassShare = math.Inf(1)
	for _, s := range r.Histogram {
		r.MinClassShare = math.Min(r.MinClassShare, s)
	}
	if labels != nil {
		acc, per, err := LabelAccuracy(probs, labels)
		if err != nil {
			return Report{}, err
		}
		r.LabelAccuracy, r.LabelAccuracySE = &acc, binomialError(acc, len(labels))
		r.PerLabel = make([]float64, len(c.Classes))
		for l, a := range per {
			r.PerLabel[l] = a
		}
	}
	return r, nil
}

// WriteTable prints reports side by side (one column each).
func WriteTable(w io.Writer, classes []string, reports ...Report) {
	row := func(label string, f func(r Report) string) {
		fmt.Fprintf(w, "%-28s", label)
		for _, r := range reports {
			fmt.Fprintf(w, " %18s", f(r))
		}
		fmt.Fprintln(w)
	}
	row("", func(r Report) string { return r.Name })
	row("samples", func(r Report) string { return fmt.Sprint(r.N) })
	if reports[0].ClassifierScore != 0 {
		row("classifier score (max "+fmt.Sprint(len(classes))+")", func(r Report) string {
			return fmt.Sprintf("%.3f ± %.3f", r.ClassifierScore, r.ClassifierScoreSE)
		})
	}
	row("Fréchet classifier distance", func(r Report) string { return fmt.Sprintf("%.2f ± %.2f", r.FCD, r.FCDSE) })
	row("kernel classifier distance", func(r Report) string { return fmt.Sprintf("%.4f ± %.4f", r.KID, r.KIDSE) })
	row("mean distance of two images", func(r Report) string { return fmt.Sprintf("%.4f ± %.4f", r.PairDistance, r.PairDistanceSE) })
	row("smallest class share", func(r Report) string { return fmt.Sprintf("%.1f%%", 100*r.MinClassShare) })
	if reports[0].LabelAccuracy != nil {
		row("accuracy vs requested label", func(r Report) string {
			if r.LabelAccuracy == nil {
				return "-"
			}
			return fmt.Sprintf("%.2f ± %.2f%%", 100**r.LabelAccuracy, 100*r.LabelAccuracySE)
		})
	}
	for c, name := range classes {
		row("  share of "+strings.TrimSpace(name), func(r Report) string { return fmt.Sprintf("%.1f%%", 100*r.Histogram[c]) })
	}
	if reports[0].PerLabel != nil {
		worst := func(r Report) string {
			if r.PerLabel == nil {
				return "-"
			}
			w := 0
			for l, a := range r.PerLabel {
				if a < r.PerLabel[w] {
					w = l
				}
			}
			return fmt.Sprintf("%.2f%% (%s)", 100*r.PerLabel[w], strings.TrimSpace(classes[w]))
		}
		row("worst label's accuracy", worst)
		for c, name := range classes {
			row("  accuracy for "+strings.TrimSpace(name), func(r Report) string {
				if r.PerLabel == nil {
					return "-"
				}
				return fmt.Sprintf("%.2f%%", 100*r.PerLabel[c])
			})
		}
	}
	fmt.Fprintln(w, "(± one standard error: bootstrap for the score and the Fréchet distance, over disjoint subsets for the kernel distance, binomial for accuracies)")
	for _, r := range reports {
		if r.N < SmallN {
			fmt.Fprintf(w, "note: n = %d < %d: the Fréchet distance is biased upward at small n, by more the fewer the samples; compare it only between sets of the same n, and do not rank models by it at this n (the kernel distance has no such bias)\n", r.N, SmallN)
			break
		}
	}
}

// WriteJSON writes the reports as a JSON array.
func WriteJSON(w io.Writer, reports ...Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(reports)
}
