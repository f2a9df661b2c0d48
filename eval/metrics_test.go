package eval

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"
)

func TestClassifierScoreBounds(t *testing.T) {
	// Perfectly confident and balanced over k classes: score k. Uniform predictions: score 1.
	k := 10
	var confident, uniform [][]float64
	for i := range 100 {
		p := make([]float64, k)
		p[i%k] = 1
		confident = append(confident, p)
		u := make([]float64, k)
		for j := range u {
			u[j] = 1 / float64(k)
		}
		uniform = append(uniform, u)
	}
	if s := ClassifierScore(confident); math.Abs(s-10) > 1e-9 {
		t.Fatalf("confident balanced score %g, want 10", s)
	}
	if s := ClassifierScore(uniform); math.Abs(s-1) > 1e-9 {
		t.Fatalf("uniform score %g, want 1", s)
	}
	// Mode collapse: all confident in one class → score 1.
	var collapsed [][]float64
	for range 50 {
		p := make([]float64, k)
		p[3] = 1
		collapsed = append(collapsed, p)
	}
	if s := ClassifierScore(collapsed); math.Abs(s-1) > 1e-9 {
		t.Fatalf("collapsed score %g, want 1", s)
	}
	h := ClassHistogram(confident)
	if math.Abs(h[0]-0.1) > 1e-12 {
		t.Fatalf("histogram %v", h)
	}
	acc, per, err := LabelAccuracy(confident[:4], []int{0, 1, 5, 3})
	if err != nil || acc != 0.75 || per[5] != 0 || per[1] != 1 {
		t.Fatalf("label accuracy %g %v %v", acc, per, err)
	}
}

// TestFrechetDistanceOfKnownGaussians: for N(μ₁, σ₁²I) and N(μ₂, σ₂²I) in d dimensions the
// distance is ‖μ₁ − μ₂‖² + d(σ₁ − σ₂)²; estimated from samples it must come out close.
func TestFrechetDistanceOfKnownGaussians(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const d, n = 4, 40000
	sample := func(mu, sigma float64) [][]float64 {
		out := make([][]float64, n)
		for i := range out {
			out[i] = make([]float64, d)
			for j := range out[i] {
				out[i][j] = mu + sigma*rng.NormFloat64()
			}
		}
		return out
	}
	a, _ := FitGaussian(sample(0, 1))
	b, _ := FitGaussian(sample(1, 2))
	got, err := FrechetDistance(a, b)
	if err != nil {
		t.Fatal(err)
	}
	want := d*1.0 + d*1.0 // ‖μ₁−μ₂‖² = d·1, d(σ₁−σ₂)² = d·1
	if math.Abs(got-want) > 0.15 {
		t.Fatalf("Fréchet distance %g, want ≈ %g", got, want)
	}
	same, _ := FrechetDistance(a, a)
	if math.Abs(same) > 1e-6 {
		t.Fatalf("distance to itself %g", same)
	}
}

func TestAugmentations(t *testing.T) {
	// One 2×3 image with values 0..5; shifting by (0, +1) moves columns right, background −1.
	img := []float32{0, 1, 2, 3, 4, 5}
	rng := rand.New(rand.NewPCG(1, 1))
	for {
		got := append([]float32(nil), img...)
		shiftImages(got, 1, 2, 3, 1, 1, rng)
		// find a draw with dy = 0, dx = 1: [-1 0 1; -1 3 4]
		if got[0] == -1 && got[1] == 0 && got[2] == 1 && got[3] == -1 && got[4] == 3 && got[5] == 4 {
			break
		}
	}
	for {
		got := append([]float32(nil), img...)
		flipImages(got, 1, 2, 3, 1, rng)
		if got[0] == 2 {
			if got[1] != 1 || got[2] != 0 || got[3] != 5 || got[5] != 3 {
				t.Fatalf("flip gave %v", got)
			}
			break
		}
	}
}

func TestCenterCrop(t *testing.T) {
	x := make([]float32, 2*4*6*1)
	for i := range x {
		x[i] = float32(i)
	}
	out, err := CenterCrop(tensors.FromFlatDataAndDimensions(x, 2, 4, 6, 1), 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	got := tensors.MustCopyFlatData[float32](out)
	want := []float32{8, 9, 14, 15, 32, 33, 38, 39}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("crop: %v, want %v", got, want)
	}
	if _, err := CenterCrop(tensors.FromFlatDataAndDimensions(x, 2, 4, 6, 1), 3, 2); err == nil {
		t.Fatal("an odd border was accepted")
	}
}
