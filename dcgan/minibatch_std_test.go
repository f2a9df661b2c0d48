package dcgan

import (
	"math"
	"testing"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/ganlab/ganlab/backend"
)

// TestMinibatchStd: the appended channel is the mean over positions of the batch's standard
// deviation (≈ 0 for a batch of one image repeated, √(p(1−p))·2 for images of −1 and 1 in the
// ratio p), the same at every position; the other channels pass through.
func TestMinibatchStd(t *testing.T) {
	const b, h, w, c = 4, 2, 3, 2
	run := func(data []float32) []float32 {
		out := MustExecOnce(backend.MustNew("go"), withMinibatchStd, tensors.FromFlatDataAndDimensions(data, b, h, w, c))
		if dims := out.Shape().Dimensions; dims[3] != c+1 {
			t.Fatalf("output shape %v, want %d channels", dims, c+1)
		}
		return tensors.MustCopyFlatData[float32](out)
	}
	same, mixed := make([]float32, b*h*w*c), make([]float32, b*h*w*c)
	for i := range same {
		same[i] = float32(i%(h*w*c)) / 10
		mixed[i] = 1
		if i < h*w*c { // one image of −1 among four of 1: σ = 2·√(¼·¾)
			mixed[i] = -1
		}
	}
	for _, tc := range []struct {
		data []float32
		want float64
	}{{same, 1e-4}, {mixed, 2 * math.Sqrt(0.25*0.75)}} {
		out := run(tc.data)
		for p := range b * h * w {
			if got := float64(out[p*(c+1)+c]); math.Abs(got-tc.want) > 1e-4 {
				t.Fatalf("position %d: channel %g, want %g", p, got, tc.want)
			}
			for k := range c {
				if out[p*(c+1)+k] != tc.data[p*c+k] {
					t.Fatalf("position %d, channel %d changed", p, k)
				}
			}
		}
	}
	cfg := MNIST()
	cfg.MinibatchStd = true
	if cfg.Validate() == nil {
		t.Error("the minibatch channel on the tutorial model was accepted")
	}
}
