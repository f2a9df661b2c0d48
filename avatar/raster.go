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
	if r > maxRasterRadius {
		return nil, fmt.Errorf("avatar: image size %d too large to rasterise (at most %d)", size, 64*maxRasterRadius/3)
	}
	for g, span := range datasets.HeadLandmarkGroups {
		for _, p := range landmarks[span[0]:span[1]] {
			if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
				return nil, fmt.Errorf("avatar: landmark %v is not finite", p)
			}
			cx, cy := int(math.Floor(p[0])), int(math.Floor(p[1]))
			// The Gaussian is separable: 2·(2r+1) calls of math.Exp instead of (2r+1)², which
			// matters per frame (math.Exp measured ~0.7 µs a call in this process).
			var gx, gy [2*maxRasterRadius + 1]float64
			for d := -r; d <= r; d++ {
				dx, dy := float64(cx+d)+0.5-p[0], float64(cy+d)+0.5-p[1]
				gx[d+r], gy[d+r] = math.Exp(-dx*dx/(2*sigma*sigma)), math.Exp(-dy*dy/(2*sigma*sigma))
			}
			for y := max(cy-r, 0); y <= min(cy+r, size-1); y++ {
				for x := max(cx-r, 0); x <= min(cx+r, size-1); x++ {
					v := float32(gy[y-cy+r] * gx[x-cx+r])
					if i := (y*size+x)*c + g; v > out[i] {
						out[i] = v
					}
				}
			}
		}
	}
	return out, nil
}

// maxRasterRadius bounds Rasterize's kernel radius (3σ, σ = size/64): sizes up to 512.
const maxRasterRadius = 24

// PSNR is the peak signal-to-noise ratio in dB of two images with values in [0, 1].
func PSNR(a, b []float32) float64 {
	var mse float64
	for i := range a {
		d := float64(a[i] - b[i])
		mse += d * d
	}
	return psnrOfMSE(mse / float64(len(a)))
}

func psnrOfMSE(mse float64) float64 {
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

// BaseFlow is the warp field that the landmarks alone imply, at half resolution
// [size/2 · size/2 · 2] (dy, dx in full-resolution pixels): at each pixel of the target frame,
// where the same point of the face is in the source frame. It interpolates the landmark
// displacements source − target with Gaussian weights of radius 6 px (at 64²), normalised, and
// a prior of zero displacement that dominates three radii away from every landmark (the
// background does not move). The bi-layer model's G_inf adds a learned residual to it.
func BaseFlow(target, source [][2]float64, size int) ([]float32, error) {
	if len(target) != datasets.NumHeadLandmarks || len(source) != datasets.NumHeadLandmarks {
		return nil, fmt.Errorf("avatar: %d and %d landmarks, want %d", len(target), len(source), datasets.NumHeadLandmarks)
	}
	rho := 6 * float64(size) / 64
	prior := math.Exp(-4.5) // the weight of one landmark at 3ρ
	half := size / 2
	// Separable weights, exp(−(Δx² + Δy²)/2ρ²) = ex·ey, at the centres 2i+1 of the
	// half-resolution pixels: 2·half·22 calls of math.Exp rather than half²·22.
	n := len(target)
	ex, ey := make([]float64, half*n), make([]float64, half*n)
	for i := range half {
		for k, t := range target {
			dx, dy := float64(2*i+1)-t[0], float64(2*i+1)-t[1]
			ex[i*n+k], ey[i*n+k] = math.Exp(-dx*dx/(2*rho*rho)), math.Exp(-dy*dy/(2*rho*rho))
		}
	}
	out := make([]float32, half*half*2)
	for i := range half {
		for j := range half {
			var w, dy, dx float64 = prior, 0, 0
			for k, t := range target {
				g := ey[i*n+k] * ex[j*n+k]
				w += g
				dx += g * (source[k][0] - t[0])
				dy += g * (source[k][1] - t[1])
			}
			out[(i*half+j)*2], out[(i*half+j)*2+1] = float32(dy/w), float32(dx/w)
		}
	}
	return out, nil
}
