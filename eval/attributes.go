package eval

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// AttributeAccuracy is, for each attribute of an attribute classifier, the share of images whose
// most probable value is their label. labels holds one value per attribute per image, as
// datasets.ImageSet.Labels does.
func (c *Classifier) AttributeAccuracy(probs [][]float64, labels []int) ([]float64, error) {
	a := len(c.Attributes)
	if a == 0 {
		return nil, fmt.Errorf("classifier %s does not recognise attributes", c.Name)
	}
	if len(labels) != a*len(probs) {
		return nil, fmt.Errorf("%d labels for %d images of %d attributes", len(labels), len(probs), a)
	}
	acc := make([]float64, a)
	for i, p := range probs {
		for j, g := range c.softmaxGroups() {
			if Argmax(p[g[0]:g[1]]) == labels[i*a+j] {
				acc[j]++
			}
		}
	}
	for j := range acc {
		acc[j] /= float64(len(probs))
	}
	return acc, nil
}

// attributeShares is, for each output of an attribute classifier, the share of images whose most
// probable value of that attribute it is: one histogram per attribute, laid end to end.
func (c *Classifier) attributeShares(probs [][]float64) []float64 {
	shares := make([]float64, len(c.Classes))
	for _, p := range probs {
		for _, g := range c.softmaxGroups() {
			shares[g[0]+Argmax(p[g[0]:g[1]])]++
		}
	}
	for k := range shares {
		shares[k] /= float64(len(probs))
	}
	return shares
}

// ShareRatios is each class's (or attribute value's) share among generated images divided by its
// share among real ones: 1 where the generator covers it as often as the data does.
func ShareRatios(generated, real Report) []float64 {
	ratios := make([]float64, len(real.Histogram))
	for k, r := range real.Histogram {
		ratios[k] = generated.Histogram[k] / r
	}
	return ratios
}

// WriteCoverage prints, for each class or attribute value, its share among real and generated
// images and their ratio, and marks the ratios outside [1 − tolerance, 1 + tolerance].
func WriteCoverage(w io.Writer, classes []string, generated, real Report, tolerance float64) {
	fmt.Fprintf(w, "%-28s %10s %10s %8s\n", "share of", real.Name, generated.Name, "ratio")
	outside := 0
	for k, ratio := range ShareRatios(generated, real) {
		mark := ""
		if real.Histogram[k] == 0 && generated.Histogram[k] == 0 {
			ratio = 1 // neither set shows it
		}
		if math.IsNaN(ratio) || math.IsInf(ratio, 0) || math.Abs(ratio-1) > tolerance {
			mark, outside = "  ← outside", outside+1
		}
		fmt.Fprintf(w, "  %-26s %9.1f%% %9.1f%% %8.2f%s\n", strings.TrimSpace(classes[k]), 100*real.Histogram[k], 100*generated.Histogram[k], ratio, mark)
	}
	fmt.Fprintf(w, "%d of %d ratios outside %.2f–%.2f\n", outside, len(classes), 1-tolerance, 1+tolerance)
}
