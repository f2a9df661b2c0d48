package gan

import (
	"math"
	"testing"
)

func TestTruncatedNoise(t *testing.T) {
	z, err := TruncatedNoise(1000, 100, 7, 1)
	if err != nil {
		t.Fatal(err)
	}
	var sum, sumSq float64
	var n int
	for _, v := range z.Value().([][]float32) {
		for _, x := range v {
			if math.Abs(float64(x)) > 1 {
				t.Fatalf("component %g outside ±1", x)
			}
			sum += float64(x)
			sumSq += float64(x) * float64(x)
			n++
		}
	}
	// N(0, 1) truncated to ±1 has mean 0 and variance 1 − 2φ(1)/(2Φ(1) − 1) ≈ 0.2911.
	mean, variance := sum/float64(n), sumSq/float64(n)-(sum/float64(n))*(sum/float64(n))
	if math.Abs(mean) > 0.01 || math.Abs(variance-0.2911) > 0.01 {
		t.Errorf("mean %.4f, variance %.4f; want 0 and 0.2911", mean, variance)
	}

	// A threshold no component reaches draws exactly FixedNoise's vectors.
	wide, err := TruncatedNoise(4, 8, 3, 20)
	if err != nil {
		t.Fatal(err)
	}
	fixed, err := FixedNoise(4, 8, 3)
	if err != nil {
		t.Fatal(err)
	}
	a, b := wide.Value().([][]float32), fixed.Value().([][]float32)
	for i := range a {
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				t.Fatalf("threshold 20: z[%d][%d] = %g, FixedNoise has %g", i, j, a[i][j], b[i][j])
			}
		}
	}

	for _, bad := range []float64{0, -1, 0.01, math.NaN(), math.Inf(1)} {
		if _, err := TruncatedNoise(2, 2, 1, bad); err == nil {
			t.Errorf("threshold %g: no error", bad)
		}
	}
}
