package cgan

import (
	"fmt"

	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/eval"
	"github.com/ganlab/ganlab/gan"
)

// Evaluation is what `ganlab eval cgan` reports of a conditional generator.
type Evaluation struct {
	// Generated measures n samples balanced over the labels; Real, n real training images with
	// their own labels; both against the test set's features.
	Generated, Real eval.Report
	// FourCases is the four-case table (docs/equations.md §3) on min(n, test.N) test images, when the model has its
	// trained discriminator (nil otherwise).
	FourCases *[4]CaseResult
}

// Evaluate measures m with classifier c: label accuracy, classifier score and Fréchet classifier
// distance of n samples balanced over the labels (noise from m's Store), beside real images,
// and the four-case table of its discriminator. m.Progress hears the sampling.
func Evaluate(m *gan.Model, c *eval.Classifier, train, test *datasets.ImageSet, n int, seed uint64) (Evaluation, error) {
	var ev Evaluation
	if m.Classes != len(c.Classes) {
		return ev, fmt.Errorf("the generator has %d classes, the classifier %d", m.Classes, len(c.Classes))
	}
	if n < m.Classes {
		return ev, fmt.Errorf("%d samples: want at least one per class (%d)", n, m.Classes)
	}
	labels := BalancedLabels(n, m.Classes)
	samples, err := m.SampleLabeled(labels)
	if err != nil {
		return ev, err
	}
	if ev.Generated, ev.Real, err = c.AgainstReal(train, test, samples, labels, n); err != nil {
		return ev, err
	}
	if m.HasDiscriminator() {
		k := min(n, test.N)
		progress := m.Progress
		m.Progress = nil
		cases, err := FourCases(m, eval.SetTensor(test, k), test.Labels, k, seed)
		m.Progress = progress
		if err != nil {
			return ev, err
		}
		ev.FourCases = &cases
	}
	return ev, nil
}
