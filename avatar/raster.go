package avatar

import (
	"fmt"
	"math"

	"github.com/ganlab/ganlab/datasets"
)

// LandmarkChannels is the number of channels of a rasterised landmark image: one per landmark
// group (contour, eyes, nose, mouth), then the filled areas of the eyes and of the mouth.
var LandmarkChannels = len(datasets.HeadLandmarkGroups) + len(filledAreas)

// filledAreas are the landmark groups drawn a second time as filled ellipses, each four
// landmarks (two corners, then the upper and lower edge): the open eyes, the open mouth. Four
// dots say how far a mouth is open only through their spacing; an area says it at every pixel
// that changes colour, which a small per-frame generator can read locally.
var filledAreas = [][][2]int{{{9, 13}, {13, 17}}, {{18, 22}}}

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
	for k, groups := range filledAreas {
		for _, g := range groups {
			fillEllipse(out, size, c, len(datasets.HeadLandmarkGroups)+k, landmarks[g[0]:g[1]])
		}
	}
	return out, nil
}

// fillEllipse draws into channel ch the ellipse whose axis runs between corners q[0] and q[1]
// and whose other semi-axis is half the distance of q[2] and q[3] across it: 1 inside, falling
// to 0 one pixel outside.
func fillEllipse(out []float32, size, channels, ch int, q [][2]float64) {
	cx, cy := (q[0][0]+q[1][0])/2, (q[0][1]+q[1][1])/2
	ux, uy := q[1][0]-q[0][0], q[1][1]-q[0][1]
	a := math.Hypot(ux, uy) / 2
	if a == 0 {
		return
	}
	ux, uy = ux/(2*a), uy/(2*a)
	b := math.Abs((q[3][0]-q[2][0])*-uy+(q[3][1]-q[2][1])*ux) / 2
	r := int(math.Ceil(a)) + 1
	for y := max(int(cy)-r, 0); y <= min(int(cy)+r, size-1); y++ {
		for x := max(int(cx)-r, 0); x <= min(int(cx)+r, size-1); x++ {
			dx, dy := float64(x)+0.5-cx, float64(y)+0.5-cy
			along, across := dx*ux+dy*uy, -dx*uy+dy*ux
			// distance outside the ellipse, in pixels, approximated along each axis
			d := math.Max(math.Abs(along)-a, 0) + math.Max(math.Abs(across)-b*math.Sqrt(math.Max(0, 1-along*along/(a*a))), 0)
			v := float32(math.Max(0, 1-d))
			if i := (y*size+x)*channels + ch; v > out[i] {
				out[i] = v
			}
		}
	}
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
// where the same point of the head is in the source frame. It has two parts:
//
//   - The head's outline, the hair and everything far from the face's features move as the
//     face's contour does: an affine map, least squares through the contour landmarks
//     (datasets.HeadLandmarkGroups[0]), target → source. A turned head's outline moves with the
//     head while its features slide across the face; a fit through every landmark mixes the
//     two and moves the outline with the features.
//   - The inner landmarks (eyes, nose, mouth) move by more than that map, and so does the face's
//     surface around them, which slides across a turning face: their residual displacements,
//     interpolated by the thin-plate spline (Bookstein 1989; smoothed, λ = 1 on the kernel's
//     diagonal), are added with the larger of two weights: 1 inside the face (within FaceInside
//     of its ellipse, which the contour landmarks place: datasets.HeadContourOnFace), falling
//     to 0 at FaceOutside; and exp(−d²/2ρ²), which fades with the distance d to the nearest
//     inner landmark (ρ = ContourFade pixels at 64², scaled with size).
//
// On the 50 held-out identities × 8 poses of `ganlab bench avatar`, the true frame blurred at
// σ = 2 px scores 25.6 dB against the truth, and 28.0 dB with the source's high frequencies warped
// by this field added (TestBaseFlowCarriesDetail); the thin-plate spline through all the
// landmarks alone gave 26.9 dB. ρ was chosen on 50 training identities (before the weight inside
// the face): 27.13 dB with the spline alone, 27.90 / 28.14 / 28.19 / 28.13 / 27.95 dB with
// ρ = 3 / 4 / 5 / 6 / 8 px. The bi-layer model's G_inf adds a learned residual to this field.
func BaseFlow(target, source [][2]float64, size int) ([]float32, error) {
	n := datasets.NumHeadLandmarks
	if len(target) != n || len(source) != n {
		return nil, fmt.Errorf("avatar: %d and %d landmarks, want %d", len(target), len(source), n)
	}
	contour := datasets.HeadLandmarkGroups[0]
	outline, err := fitAffine(target[contour[0]:contour[1]], source[contour[0]:contour[1]])
	if err != nil {
		return nil, err
	}
	residual := make([][2]float64, n)
	for i, t := range target {
		x, y := outline.apply(t[0], t[1])
		residual[i] = [2]float64{source[i][0] - x, source[i][1] - y}
	}
	wx, wy, err := thinPlateWeights(target, residual)
	if err != nil {
		return nil, err
	}
	toFace, err := fitAffine(target[contour[0]:contour[1]], contourOnFace)
	if err != nil {
		return nil, err
	}
	inner := target[contour[1]:]
	rho := ContourFade * float64(size) / 64
	reach := 2 * rho * rho * math.Log(1/minFade) // the squared distance beyond which the weight is < minFade
	half := size / 2
	out := make([]float32, half*half*2)
	// Row by row, each landmark's kernel added to the run of the row where the spline's weight
	// counts: the row's sums are independent, so the CPU overlaps them (one pixel's 22 sums form a
	// chain of dependent additions); elsewhere the outline's map alone is the flow.
	fade, ax, ay := make([]float64, half), make([]float64, half), make([]float64, half)
	for i := range half {
		y := float64(2*i + 1) // the centres of the half-resolution pixels
		first, last := half, -1
		for j := range half {
			x := float64(2*j + 1)
			nearest := reach
			for _, p := range inner {
				if d := (x-p[0])*(x-p[0]) + (y-p[1])*(y-p[1]); d < nearest {
					nearest = d
				}
			}
			fade[j] = 0
			if nearest < reach {
				fade[j] = math.Exp(-nearest / (2 * rho * rho))
			}
			u, v := toFace.apply(x, y)
			fade[j] = max(fade[j], min(1, max(0, (FaceOutside-math.Hypot(u, v))/(FaceOutside-FaceInside))))
			if fade[j] > 0 {
				first, last = min(first, j), j
			}
			ax[j], ay[j] = wx[n]+wx[n+1]*x+wx[n+2]*y, wy[n]+wy[n+1]*x+wy[n+2]*y
		}
		for k, t := range target {
			dy := y - t[1]
			for j := first; j <= last; j++ {
				u := thinPlate(float64(2*j+1)-t[0], dy)
				ax[j] += wx[k] * u
				ay[j] += wy[k] * u
			}
		}
		for j := range half {
			x := float64(2*j + 1)
			ox, oy := outline.apply(x, y)
			out[(i*half+j)*2], out[(i*half+j)*2+1] = float32(oy-y+fade[j]*ay[j]), float32(ox-x+fade[j]*ax[j])
		}
	}
	return out, nil
}

// ContourFade is ρ of BaseFlow, in pixels at 64×64: how far from the nearest inner landmark its
// residual motion reaches.
const ContourFade = 5

// FaceInside and FaceOutside are where BaseFlow's weight on the inner landmarks' residual motion
// falls from 1 to 0 across the face's outline, as radii of the face ellipse (1 is the outline).
// They were chosen on 50 training identities, among the pairs (0.5, 0.8) … (0.9, 1.15), by the
// texture test of TestBaseFlowCarriesDetail: the whole frame 28.14 dB (27.99 with the fade near
// the landmarks alone) and the face's detail 17.94 dB (17.33).
const (
	FaceInside  = 0.85
	FaceOutside = 1.05
)

// contourOnFace is datasets.HeadContourOnFace, computed once: BaseFlow runs every frame.
var contourOnFace = datasets.HeadContourOnFace()

// minFade is the weight below which BaseFlow leaves the spline out (d > 3ρ): a residual of a few
// pixels would move the texture by a few hundredths of a pixel there.
const minFade = 1e-2

// affine is the map (x, y) → (a[0] + a[1]·x + a[2]·y, b[0] + b[1]·x + b[2]·y).
type affine struct{ a, b [3]float64 }

func (m affine) apply(x, y float64) (float64, float64) {
	return m.a[0] + m.a[1]*x + m.a[2]*y, m.b[0] + m.b[1]*x + m.b[2]*y
}

// fitAffine is the least-squares affine map from the points from to the points to.
func fitAffine(from, to [][2]float64) (affine, error) {
	// The normal equations PᵀP c = Pᵀv, P_i = (1, x_i, y_i), one right-hand side per coordinate.
	var sys [3][5]float64
	for i, p := range from {
		row := [3]float64{1, p[0], p[1]}
		for r := range 3 {
			for c := range 3 {
				sys[r][c] += row[r] * row[c]
			}
			sys[r][3] += row[r] * to[i][0]
			sys[r][4] += row[r] * to[i][1]
		}
	}
	rows := [][]float64{sys[0][:], sys[1][:], sys[2][:]}
	if err := solveInPlace(rows, 3); err != nil {
		return affine{}, fmt.Errorf("avatar: degenerate contour landmarks (all on one line, or not finite): no affine map through them")
	}
	var m affine
	for r := range 3 {
		m.a[r], m.b[r] = rows[r][3]/rows[r][r], rows[r][4]/rows[r][r]
	}
	return m, nil
}

// thinPlateWeights solves for the smoothed thin-plate spline through the displacements disp at
// the points target: [K + λI  P; Pᵀ 0] [w; a] = [v; 0], K_ij = U(|t_i − t_j|), P_i = (1, x_i, y_i),
// one right-hand side per coordinate. It returns the kernel weights then the affine part
// (constant, x, y) of each coordinate.
func thinPlateWeights(target, disp [][2]float64) (wx, wy []float64, err error) {
	const lambda = 1
	n := len(target)
	m := n + 3
	sys := make([][]float64, m)
	for i := range sys {
		sys[i] = make([]float64, m+2)
	}
	for i, t := range target {
		for j, u := range target {
			sys[i][j] = thinPlate(t[0]-u[0], t[1]-u[1])
		}
		sys[i][i] += lambda
		sys[i][n], sys[i][n+1], sys[i][n+2] = 1, t[0], t[1]
		sys[n][i], sys[n+1][i], sys[n+2][i] = 1, t[0], t[1]
		sys[i][m], sys[i][m+1] = disp[i][0], disp[i][1]
	}
	if err := solveInPlace(sys, m); err != nil {
		return nil, nil, fmt.Errorf("avatar: degenerate landmarks (all on one line, or not finite): no warp through them")
	}
	wx, wy = make([]float64, m), make([]float64, m)
	for i := range m {
		wx[i], wy[i] = sys[i][m]/sys[i][i], sys[i][m+1]/sys[i][i]
	}
	return wx, wy, nil
}

// solveInPlace runs Gauss–Jordan elimination with partial pivoting on the first m columns of sys
// (m rows; the columns after them are right-hand sides): afterwards row i's solution is
// sys[i][rhs] / sys[i][i].
func solveInPlace(sys [][]float64, m int) error {
	for c := range m {
		p := c
		for k := c + 1; k < m; k++ {
			if math.Abs(sys[k][c]) > math.Abs(sys[p][c]) {
				p = k
			}
		}
		if !(math.Abs(sys[p][c]) > 1e-9) { // also NaN
			return fmt.Errorf("singular system")
		}
		sys[c], sys[p] = sys[p], sys[c]
		for k := range m {
			if f := sys[k][c] / sys[c][c]; k != c && f != 0 {
				for j := c; j < len(sys[k]); j++ {
					sys[k][j] -= f * sys[c][j]
				}
			}
		}
	}
	return nil
}

// thinPlate is the thin-plate spline's kernel U(r) = r² log r².
func thinPlate(dx, dy float64) float64 {
	r2 := dx*dx + dy*dy
	if r2 == 0 {
		return 0
	}
	return r2 * logPositive(r2)
}

// logPositive is ln x for finite x > 0, to about 1.2·10⁻⁷ (absolute): x = m·2^e with m ∈ [1, 2),
// and ln m interpolated linearly in a table of 1025 values (the error of a chord of ln over a
// step of 1/1024 is at most 1/(8·1024²)). The spline evaluates the kernel 22 times per pixel of
// every frame: math.Log was a tenth of a frame's time, a series with a division half of what
// remained of the spline's.
func logPositive(x float64) float64 {
	if x < 0x1p-1022 || x > math.MaxFloat64 { // not a normal positive number
		return math.Log(x)
	}
	bits := math.Float64bits(x)
	e := int(bits>>52) - 1023
	mantissa := bits & (1<<52 - 1)
	i := mantissa >> 42                           // the top 10 bits
	frac := float64(mantissa&(1<<42-1)) * 0x1p-42 // the rest, ∈ [0, 1)
	lo := lnTable[i]
	return float64(e)*math.Ln2 + lo + frac*(lnTable[i+1]-lo)
}

// lnTable[i] = ln(1 + i/1024).
var lnTable = func() (t [1025]float64) {
	for i := range t {
		t[i] = math.Log1p(float64(i) / 1024)
	}
	return t
}()
