package avatar

import (
	"fmt"
	"math"

	"github.com/ganlab/ganlab/datasets"
)

// LandmarkChannels is the number of channels of a rasterised landmark image: one per landmark
// group (contour, eyes, nose, mouth).
var LandmarkChannels = len(datasets.HeadLandmarkGroups)

// Rasterize draws landmarks (pixel coordinates, datasets.NumHeadLandmarks of them) as Gaussian
// blobs (σ = size/64 pixels), one channel per landmark group: [size·size·LandmarkChannels],
// values in [0, 1]. This is the per-frame input of the generators (the paper rasterises its
// landmarks into a colour image the same way).
func Rasterize(landmarks [][2]float64, size int) ([]float32, error) {
	if len(landmarks) != datasets.NumHeadLandmarks {
		return nil, fmt.Errorf("avatar: %d landmarks, want %d", len(landmarks), datasets.NumHeadLandmarks)
	}
	c := LandmarkChannels
	out := make([]float32, size*size*c)
	sigma := float64(size) / 64
	r := int(math.Ceil(3 * sigma))
	for g, span := range datasets.HeadLandmarkGroups {
		for _, p := range landmarks[span[0]:span[1]] {
			if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
				return nil, fmt.Errorf("avatar: landmark %v is not finite", p)
			}
			cx, cy := int(math.Floor(p[0])), int(math.Floor(p[1]))
			for y := max(cy-r, 0); y <= min(cy+r, size-1); y++ {
				for x := max(cx-r, 0); x <= min(cx+r, size-1); x++ {
					dx, dy := float64(x)+0.5-p[0], float64(y)+0.5-p[1]
					v := float32(math.Exp(-(dx*dx + dy*dy) / (2 * sigma * sigma)))
					if i := (y*size+x)*c + g; v > out[i] {
						out[i] = v
					}
				}
			}
		}
	}
	return out, nil
}

// PSNR is the peak signal-to-noise ratio in dB of two images with values in [0, 1].
func PSNR(a, b []float32) float64 {
	var mse float64
	for i := range a {
		d := float64(a[i] - b[i])
		mse += d * d
	}
	mse /= float64(len(a))
	if mse == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(1/mse)
}

// SSIM is the structural similarity (Wang et al. 2004) of two size×size×3 images in [0, 1],
// with 8×8 windows at stride 4, averaged over windows and channels (constants K1 = 0.01,
// K2 = 0.03).
func SSIM(a, b []float32, size int) float64 {
	const c1, c2 = 0.01 * 0.01, 0.03 * 0.03
	var sum float64
	var n int
	for ch := range 3 {
		for y0 := 0; y0+8 <= size; y0 += 4 {
			for x0 := 0; x0+8 <= size; x0 += 4 {
				var ma, mb float64
				for y := y0; y < y0+8; y++ {
					for x := x0; x < x0+8; x++ {
						i := (y*size+x)*3 + ch
						ma += float64(a[i])
						mb += float64(b[i])
					}
				}
				ma, mb = ma/64, mb/64
				var va, vb, cov float64
				for y := y0; y < y0+8; y++ {
					for x := x0; x < x0+8; x++ {
						i := (y*size+x)*3 + ch
						da, db := float64(a[i])-ma, float64(b[i])-mb
						va, vb, cov = va+da*da, vb+db*db, cov+da*db
					}
				}
				va, vb, cov = va/63, vb/63, cov/63
				sum += ((2*ma*mb + c1) * (2*cov + c2)) / ((ma*ma + mb*mb + c1) * (va + vb + c2))
				n++
			}
		}
	}
	return sum / float64(n)
}
