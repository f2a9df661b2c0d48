package blocks

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
)

func refSampleBilinear(img, pts array, border Border) array {
	n, h, w, c := img.dims[0], img.dims[1], img.dims[2], img.dims[3]
	ho, wo := pts.dims[1], pts.dims[2]
	out := array{dims: []int{n, ho, wo, c}, data: make([]float64, n*ho*wo*c)}
	read := func(b, y, x, ch int) float64 {
		if border == BorderClamp {
			y, x = min(max(y, 0), h-1), min(max(x, 0), w-1)
		}
		if y < 0 || y >= h || x < 0 || x >= w {
			return 0
		}
		return img.at4(b, y, x, ch)
	}
	for b := range n {
		for i := range ho {
			for j := range wo {
				y, x := pts.at4(b, i, j, 0), pts.at4(b, i, j, 1)
				if border == BorderClamp {
					y, x = min(max(y, 0), float64(h-1)), min(max(x, 0), float64(w-1))
				}
				y0, x0 := math.Floor(y), math.Floor(x)
				fy, fx := y-y0, x-x0
				for ch := range c {
					v := (1-fy)*(1-fx)*read(b, int(y0), int(x0), ch) + (1-fy)*fx*read(b, int(y0), int(x0)+1, ch) +
						fy*(1-fx)*read(b, int(y0)+1, int(x0), ch) + fy*fx*read(b, int(y0)+1, int(x0)+1, ch)
					out.data[((b*ho+i)*wo+j)*c+ch] = v
				}
			}
		}
	}
	return out
}

func TestSampleBilinear(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	img := randArray(rng, 2, 5, 6, 3)
	pts := randArray(rng, 2, 4, 3, 2)
	for i := range pts.data { // spread over the image and a little outside it
		pts.data[i] = -1.3 + 7.5*rng.Float64()
	}
	square := randArray(rng, 1, 6, 6, 5) // square: the clamp bounds are scalars; 5 channels: padded to 8
	for _, border := range []Border{BorderZeros, BorderClamp} {
		got := run(t, func(in []*Node) *Node { return SampleBilinear(in[0], in[1], border) }, img, pts)
		assertClose(t, "SampleBilinear", got, refSampleBilinear(img, pts, border), 1e-12)
		onePts := array{dims: []int{1, 4, 3, 2}, data: pts.data[:24]}
		got = run(t, func(in []*Node) *Node { return SampleBilinear(in[0], in[1], border) }, square, onePts)
		assertClose(t, "SampleBilinear, square image", got, refSampleBilinear(square, onePts, border), 1e-12)
	}
	// Gradients w.r.t. image and points; keep the points away from integer coordinates (kinks)
	// and inside the image for the clamp mode's kinks at the border.
	for i := range pts.data {
		pts.data[i] = 0.1 + float64(rng.IntN(4)) + 0.8*rng.Float64()
	}
	for _, border := range []Border{BorderZeros, BorderClamp} {
		checkGradients(t, "SampleBilinear", func(in []*Node) *Node { return SampleBilinear(in[0], in[1], border) }, img, pts)
	}
}

func TestWarpIdentityAndShift(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	img := randArray(rng, 1, 4, 5, 2)
	zero := array{dims: []int{1, 4, 5, 2}, data: make([]float64, 40)}
	got := run(t, func(in []*Node) *Node { return Warp(in[0], in[1]) }, img, zero)
	assertClose(t, "Warp with zero flow", got, img, 1e-12)

	shift := array{dims: []int{1, 4, 5, 2}, data: make([]float64, 40)}
	for i := 0; i < 40; i += 2 {
		shift.data[i+1] = 1 // read one pixel to the right
	}
	got = run(t, func(in []*Node) *Node { return Warp(in[0], in[1]) }, img, shift)
	for i := range 4 {
		for j := range 5 {
			for c := range 2 {
				want := 0.0
				if j+1 < 5 {
					want = img.at4(0, i, j+1, c)
				}
				if v := got.at4(0, i, j, c); math.Abs(v-want) > 1e-12 {
					t.Fatalf("shifted warp at (%d,%d,%d) = %g, want %g", i, j, c, v, want)
				}
			}
		}
	}
	grid := run(t, func(in []*Node) *Node { return IdentityGrid(in[0].Graph(), dtypes.Float64, 1, 2, 3) }, zero)
	if grid.at4(0, 1, 2, 0) != 1 || grid.at4(0, 1, 2, 1) != 2 {
		t.Fatalf("IdentityGrid(1,2) = (%g, %g)", grid.at4(0, 1, 2, 0), grid.at4(0, 1, 2, 1))
	}
}
