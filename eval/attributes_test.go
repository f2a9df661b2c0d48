package eval

import (
	"math"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"
	"gonum.org/v1/gonum/stat"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/datasets"
)

// TestAttributeClassifier: a short training on small heads frames recognises the colours (hair,
// skin, background) of held-out people far above their majority share, and the attributes
// together above theirs (the shipped evaluator trains longer on larger frames: glasses, freckles
// and closed eyes need that); its probabilities sum to 1 within each attribute; a
// report's histogram is the attributes' shares (summing to 1 per attribute) and has no classifier
// score. Rounding its weights to bfloat16 changes its accuracy by little, and rounding them again
// changes nothing.
func TestAttributeClassifier(t *testing.T) {
	h := datasets.DefaultHeads()
	h.Size = 32
	train, err := h.AttributeSet(datasets.Train, 3000)
	if err != nil {
		t.Fatal(err)
	}
	test, err := h.AttributeSet(datasets.Test, 400)
	if err != nil {
		t.Fatal(err)
	}
	backend.Quiet()
	cfg := DefaultClassifierConfig()
	cfg.Epochs, cfg.Shift, cfg.Width = 3, 0, 8
	c, err := TrainClassifier(backend.MustNew("go"), "heads-attributes", train, test, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Classes) != 18 || c.Classes[1] != "hair: long" {
		t.Fatalf("classes %q", c.Classes)
	}
	probs, _, err := c.Predict(SetTensor(test, 0))
	if err != nil {
		t.Fatal(err)
	}
	acc, err := c.AttributeAccuracy(probs, test.Labels)
	if err != nil {
		t.Fatal(err)
	}
	a := len(datasets.HeadAttributes)
	var meanAccuracy, meanMajority float64
	colours := map[string]bool{"hair colour": true, "skin": true, "background": true}
	for j, attribute := range datasets.HeadAttributes {
		counts := make([]float64, len(attribute.Values))
		for i := range test.N {
			counts[test.Labels[i*a+j]]++
		}
		majority := 0.0
		for _, n := range counts {
			majority = math.Max(majority, n/float64(test.N))
		}
		t.Logf("%-12s accuracy %.3f (majority share %.3f)", attribute.Name, acc[j], majority)
		if colours[attribute.Name] && acc[j] < majority+0.2 {
			t.Errorf("attribute %s: accuracy %.3f, not 0.2 above the majority share %.3f", attribute.Name, acc[j], majority)
		}
		meanAccuracy, meanMajority = meanAccuracy+acc[j]/float64(a), meanMajority+majority/float64(a)
	}
	if meanAccuracy < meanMajority+0.1 {
		t.Errorf("mean accuracy %.3f, not 0.1 above the mean majority share %.3f", meanAccuracy, meanMajority)
	}
	for _, g := range c.softmaxGroups() {
		sum := 0.0
		for _, p := range probs[0][g[0]:g[1]] {
			sum += p
		}
		if math.Abs(sum-1) > 1e-5 {
			t.Fatalf("probabilities of outputs %v sum to %v", g, sum)
		}
	}

	before := stat.Mean(acc, nil)
	change, err := c.RoundToBFloat16()
	if err != nil {
		t.Fatal(err)
	}
	after, err := c.Accuracy(test)
	if err != nil || change == 0 || change > 1.0/256 || math.Abs(after-before) > 0.02 {
		t.Fatalf("bfloat16 rounding: largest relative change %g (want in (0, 2⁻⁸]); mean accuracy %.4f → %.4f (%v)", change, before, after, err)
	}
	if again, _ := c.RoundToBFloat16(); again != 0 {
		t.Errorf("rounding rounded weights changed them by %g", again)
	}

	images := SetTensor(test, 0)
	ref, err := c.Reference(images)
	if err != nil {
		t.Fatal(err)
	}
	real, err := c.Measure("real", images, ref, nil)
	if err != nil {
		t.Fatal(err)
	}
	total := 0.0
	for _, s := range real.Histogram {
		total += s
	}
	if real.ClassifierScore != 0 || math.Abs(total-float64(a)) > 1e-9 {
		t.Fatalf("attribute report: score %v, shares summing to %v (want 0 and %d)", real.ClassifierScore, total, a)
	}
}

// TestWriteCoverage: shares and their ratios, a mark on each ratio outside the tolerance (an
// absent value included), none on a value that neither set shows.
func TestWriteCoverage(t *testing.T) {
	classes := []string{"glasses: no", "glasses: yes", "eyes: open", "eyes: closed", "mouth: open", "mouth: shut"}
	real := Report{Name: "real", Histogram: []float64{0.6, 0.4, 1, 0, 0.2, 0.8}}
	generated := Report{Name: "generated", Histogram: []float64{0.7, 0.3, 1, 0, 0, 1}}
	var table strings.Builder
	WriteCoverage(&table, classes, generated, real, 0.3)
	lines := strings.Split(table.String(), "\n")
	t.Log("\n" + table.String())
	for i, want := range []string{"1.17", "0.75", "1.00", "1.00", "0.00  ← outside", "1.25"} {
		if !strings.Contains(lines[i+1], classes[i]) || !strings.HasSuffix(lines[i+1], want) {
			t.Errorf("line %q: want %s … %s", lines[i+1], classes[i], want)
		}
	}
	if !strings.Contains(table.String(), "1 of 6 ratios outside 0.70–1.30") {
		t.Errorf("summary missing:\n%s", table.String())
	}
}

// TestMeanPairDistance: identical images are 0 apart; images of −1 and of 1 are 2 apart; the
// standard error is 0 when every pair is the same distance apart.
func TestMeanPairDistance(t *testing.T) {
	same := tensors.FromFlatDataAndDimensions(make([]float32, 6*12), 6, 2, 2, 3)
	if d, se, err := MeanPairDistance(same); err != nil || d != 0 || se != 0 {
		t.Fatalf("identical images: %v ± %v (%v)", d, se, err)
	}
	// Images 0–3 are −1, 4–7 are 1: every pair is 0 or 2 apart; the mean of RMS distances
	// is 2 × (share of mixed pairs).
	flat := make([]float32, 8*4)
	for i := range flat {
		flat[i] = -1
		if i >= 16 {
			flat[i] = 1
		}
	}
	d, se, err := MeanPairDistance(tensors.FromFlatDataAndDimensions(flat, 8, 2, 2, 1))
	if err != nil || d < 0 || d > 2 || math.Mod(d*4/2, 1) != 0 || (d > 0 && d < 2 && se == 0) {
		t.Fatalf("two constant images: %v ± %v (%v)", d, se, err)
	}
	if _, _, err := MeanPairDistance(tensors.FromFlatDataAndDimensions(make([]float32, 3), 3, 1)); err == nil {
		t.Error("3 images: want an error")
	}
}
