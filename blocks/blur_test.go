package blocks

import (
	"math"
	"math/rand/v2"
	"testing"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/ganlab/ganlab/backend"
)

// TestGaussianBlur: the graph and Go versions agree, a constant image is unchanged (the
// border weights are renormalised), and a one-pixel checkerboard (the highest frequency) is
// flattened to its mean away from the border.
func TestGaussianBlur(t *testing.T) {
	const size, channels, sigma = 16, 3, 2.0
	rng := rand.New(rand.NewPCG(1, 2))
	img := make([]float32, size*size*channels)
	for i := range img {
		img[i] = rng.Float32()
	}
	b := backend.MustNew("go")
	// One image (a single matrix product along each axis) and a batch of three (another
	// formulation along H), the first the same image.
	batch := append(append([]float32(nil), img...), make([]float32, 2*len(img))...)
	for i := len(img); i < len(batch); i++ {
		batch[i] = rng.Float32()
	}
	for _, n := range []int{1, 3} {
		out := MustExecOnce(b, func(x *Node) *Node { return GaussianBlur(x, sigma) },
			tensors.FromFlatDataAndDimensions(batch[:n*len(img)], n, size, size, channels))
		inGraph := tensors.MustCopyFlatData[float32](out)
		for k := range n {
			inGo := BlurImage(batch[k*len(img):(k+1)*len(img)], size, channels, sigma)
			for i := range inGo {
				if math.Abs(float64(inGo[i]-inGraph[k*len(img)+i])) > 1e-5 {
					t.Fatalf("batch %d, image %d, value %d: graph %g, Go %g", n, k, i, inGraph[k*len(img)+i], inGo[i])
				}
			}
		}
	}
	constant := make([]float32, size*size*channels)
	checker := make([]float32, size*size*channels)
	for y := range size {
		for x := range size {
			for c := range channels {
				constant[(y*size+x)*channels+c] = 0.3
				checker[(y*size+x)*channels+c] = float32((x + y) % 2)
			}
		}
	}
	for i, v := range BlurImage(constant, size, channels, sigma) {
		if math.Abs(float64(v)-0.3) > 1e-6 {
			t.Fatalf("constant image: value %d became %g", i, v)
		}
	}
	blurred := BlurImage(checker, size, channels, sigma)
	if v := blurred[(8*size+8)*channels]; math.Abs(float64(v)-0.5) > 0.01 {
		t.Errorf("checkerboard centre blurred to %g, want ≈ 0.5", v)
	}
}

// TestUpsample2x: a constant stays constant, and inside the image a linear ramp stays linear
// (bilinear interpolation with half-pixel centres: output pixel i sits at input (i+0.5)/2 − 0.5).
func TestUpsample2x(t *testing.T) {
	const n = 8
	ramp := make([]float32, n*n)
	for y := range n {
		for x := range n {
			ramp[y*n+x] = float32(x)
		}
	}
	out := MustExecOnce(backend.MustNew("go"), func(x *Node) *Node { return Upsample2x(x) },
		tensors.FromFlatDataAndDimensions(ramp, 1, n, n, 1))
	if dims := out.Shape().Dimensions; dims[1] != 2*n || dims[2] != 2*n {
		t.Fatalf("shape %v, want 16×16", dims)
	}
	up := tensors.MustCopyFlatData[float32](out)
	for y := range 2 * n {
		for x := 1; x < 2*n-1; x++ {
			if want := (float32(x)+0.5)/2 - 0.5; math.Abs(float64(up[y*2*n+x]-want)) > 1e-5 {
				t.Fatalf("(%d, %d): %g, want %g", y, x, up[y*2*n+x], want)
			}
		}
	}
	if up[0] != 0 || up[2*n-1] != n-1 {
		t.Errorf("borders %g and %g, want the edge pixels repeated (0 and %d)", up[0], up[2*n-1], n-1)
	}
}
