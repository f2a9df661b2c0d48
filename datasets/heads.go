package datasets

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/ganlab/ganlab/internal/parallel"
)

// Procedural talking heads: the data of the bi-layer avatar (package avatar) and a 64×64 RGB
// image set for DCGAN's paper64 preset. Real talking-head video (VoxCeleb) cannot be downloaded
// here, so heads are drawn: an identity fixes the face shape, the skin, hair, eye and background
// colours and the high-frequency detail (freckles, face-paint stripes, hair texture, glasses) —
// the detail that the avatar's texture layer exists for; a pose moves the head (yaw, pitch,
// roll), opens the mouth and closes the eyes. Everything is deterministic from seeds.

// HeadIdentity is one person: what stays the same from frame to frame.
type HeadIdentity struct {
	FaceW, FaceH   float64    // face ellipse radii, as fractions of half the image
	Skin, Hair     [3]float64 // RGB in [0, 1]
	Eye, Detail    [3]float64 // iris colour; colour of freckles / stripes
	Background     [3]float64
	HairStyle      int     // 0: short, 1: long (covers the sides)
	HairFrequency  float64 // stripes per unit of the hair's texture
	Freckles       [][2]float64
	StripePhase    float64 // < 0: no stripes
	StripeFreq     float64
	Glasses        bool
	GlassesColor   [3]float64
	BackgroundTilt float64 // vertical gradient of the background
}

// HeadPose is what changes from frame to frame. Yaw and Pitch are in [−1, 1] (about ±35° and
// ±25° of head rotation), Roll in radians, Mouth (open) and Blink (closed) in [0, 1].
type HeadPose struct {
	Yaw, Pitch, Roll, Mouth, Blink float64
}

// NumHeadLandmarks is the number of 2-D landmarks per frame: 9 on the face contour, 4 per eye
// (corners, upper and lower lid), the nose tip, 4 on the mouth (corners, upper and lower lip).
const NumHeadLandmarks = 22

// HeadLandmarkGroups lists the landmark index ranges [start, end) of the contour, the eyes, the
// nose and the mouth (the channels of a rasterised landmark image).
var HeadLandmarkGroups = [][2]int{{0, 9}, {9, 17}, {17, 18}, {18, 22}}

// NewHeadIdentity draws identity number id of the population seeded by seed.
func NewHeadIdentity(seed uint64, id int) HeadIdentity {
	rng := rand.New(rand.NewPCG(seed, uint64(id)*2654435761+17))
	u := func(lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }
	skinTone := u(0.25, 0.95)
	h := HeadIdentity{
		FaceW: u(0.42, 0.56), FaceH: u(0.55, 0.68),
		Skin:           [3]float64{math.Min(1, skinTone+0.12), skinTone * u(0.72, 0.85), skinTone * u(0.55, 0.7)},
		Hair:           [3]float64{u(0.05, 0.9), u(0.03, 0.6), u(0.02, 0.4)},
		Eye:            [3]float64{u(0, 0.4), u(0.1, 0.6), u(0.1, 0.8)},
		Detail:         [3]float64{u(0.3, 0.9), u(0.1, 0.5), u(0.05, 0.4)},
		Background:     [3]float64{u(0.2, 0.9), u(0.2, 0.9), u(0.2, 0.9)},
		HairStyle:      rng.IntN(2),
		HairFrequency:  u(10, 26),
		StripePhase:    -1,
		GlassesColor:   [3]float64{u(0, 0.3), u(0, 0.3), u(0, 0.5)},
		Glasses:        rng.Float64() < 0.35,
		BackgroundTilt: u(-0.25, 0.25),
	}
	switch rng.IntN(3) {
	case 0: // freckles: dots fixed on the face surface
		for range 6 + rng.IntN(14) {
			h.Freckles = append(h.Freckles, [2]float64{u(-0.7, 0.7), u(-0.05, 0.45)})
		}
	case 1: // face-paint stripes
		h.StripePhase, h.StripeFreq = u(0, 2*math.Pi), u(9, 18)
		h.Detail = [3]float64{u(0, 1), u(0, 1), u(0, 1)}
	}
	return h
}

// RandomHeadPose draws a pose: yaw and pitch uniform, roll up to ±0.25 rad, the mouth open with
// probability ½, a blink with probability 0.2.
func RandomHeadPose(rng *rand.Rand) HeadPose {
	p := HeadPose{Yaw: 2*rng.Float64() - 1, Pitch: 2*rng.Float64() - 1, Roll: 0.5 * (rng.Float64() - 0.5)}
	if rng.Float64() < 0.5 {
		p.Mouth = rng.Float64()
	}
	if rng.Float64() < 0.2 {
		p.Blink = 0.5 + 0.5*rng.Float64()
	}
	return p
}

// TalkingSequence returns n poses of a smooth talking-head motion (for driving an avatar): slow
// head turns, a mouth that opens and closes, a blink now and then. Deterministic from seed.
func TalkingSequence(n int, seed uint64) []HeadPose {
	rng := rand.New(rand.NewPCG(seed, 99))
	a, b, c := rng.Float64()*6, rng.Float64()*6, rng.Float64()*6
	poses := make([]HeadPose, n)
	for i := range poses {
		t := float64(i)
		p := HeadPose{
			Yaw:   0.8 * math.Sin(0.07*t+a),
			Pitch: 0.5 * math.Sin(0.05*t+b),
			Roll:  0.12 * math.Sin(0.04*t+c),
			Mouth: math.Max(0, math.Sin(0.45*t+a)) * (0.5 + 0.5*math.Sin(0.1*t)),
		}
		if phase := math.Mod(t+a*10, 37); phase < 3 {
			p.Blink = 1 - math.Abs(phase-1.5)/1.5
		}
		poses[i] = p
	}
	return poses
}

// headGeometry maps between image coordinates and the face surface for one identity and pose.
type headGeometry struct {
	cx, cy, cosR, sinR, fw, fh, yaw, pitch float64
}

func newHeadGeometry(id HeadIdentity, p HeadPose) headGeometry {
	return headGeometry{
		cx: 0.10 * p.Yaw, cy: 0.08 + 0.07*p.Pitch,
		cosR: math.Cos(p.Roll), sinR: math.Sin(p.Roll),
		fw: id.FaceW * (1 - 0.12*math.Abs(p.Yaw)), fh: id.FaceH * (1 - 0.06*math.Abs(p.Pitch)),
		yaw: p.Yaw, pitch: p.Pitch,
	}
}

// toFace maps an image point (x, y ∈ [−1, 1], y down) to face coordinates (u, v): the unit disc
// is the face ellipse.
func (g headGeometry) toFace(x, y float64) (u, v float64) {
	dx, dy := x-g.cx, y-g.cy
	rx, ry := g.cosR*dx+g.sinR*dy, -g.sinR*dx+g.cosR*dy
	return rx / g.fw, ry / g.fh
}

// fromFace is the inverse of toFace.
func (g headGeometry) fromFace(u, v float64) (x, y float64) {
	rx, ry := u*g.fw, v*g.fh
	return g.cx + g.cosR*rx - g.sinR*ry, g.cy + g.sinR*rx + g.cosR*ry
}

// surface maps face coordinates to coordinates on the (rotated) face surface: points facing
// the camera move with yaw and pitch, the silhouette does not — a cheap sphere-like rotation.
func (g headGeometry) surface(u, v float64) (su, sv float64) {
	depth := math.Sqrt(math.Max(0, 1-u*u-v*v))
	return u - 0.35*g.yaw*depth, v - 0.28*g.pitch*depth
}

// fromSurface inverts surface approximately (three fixed-point iterations).
func (g headGeometry) fromSurface(su, sv float64) (u, v float64) {
	u, v = su, sv
	for range 3 {
		depth := math.Sqrt(math.Max(0, 1-u*u-v*v))
		u, v = su+0.35*g.yaw*depth, sv+0.28*g.pitch*depth
	}
	return u, v
}

// Eye, nose and mouth positions on the face surface.
const (
	eyeX, eyeY, eyeRX, eyeRY = 0.38, -0.12, 0.15, 0.09
	noseY                    = 0.15
	mouthY, mouthRX          = 0.45, 0.28
)

func mix(a, b [3]float64, t float64) [3]float64 {
	return [3]float64{a[0] + (b[0]-a[0])*t, a[1] + (b[1]-a[1])*t, a[2] + (b[2]-a[2])*t}
}

func scale3(a [3]float64, s float64) [3]float64 { return [3]float64{a[0] * s, a[1] * s, a[2] * s} }

// RenderHead draws one frame of size×size: RGB pixels in [0, 1] ([size·size·3], row-major),
// the 2-D landmarks in pixel coordinates (x, y) and the foreground mask ([size·size], 1 on
// the head). Each pixel is supersampled 2×2.
func RenderHead(id HeadIdentity, pose HeadPose, size int) (rgb []float32, landmarks [][2]float64, mask []float32) {
	g := newHeadGeometry(id, pose)
	rgb = make([]float32, size*size*3)
	mask = make([]float32, size*size)
	for py := range size {
		for px := range size {
			var acc [3]float64
			var inside float64
			for sy := range 2 {
				for sx := range 2 {
					x := (float64(px)+0.25+0.5*float64(sx))/float64(size)*2 - 1
					y := (float64(py)+0.25+0.5*float64(sy))/float64(size)*2 - 1
					c, fg := shadeHead(id, pose, g, x, y)
					acc[0], acc[1], acc[2] = acc[0]+c[0], acc[1]+c[1], acc[2]+c[2]
					if fg {
						inside++
					}
				}
			}
			i := py*size + px
			for k := range 3 {
				rgb[3*i+k] = float32(math.Max(0, math.Min(1, acc[k]/4)))
			}
			mask[i] = float32(inside / 4)
		}
	}
	return rgb, HeadLandmarks(id, pose, size), mask
}

// HeadContourOnFace is where the contour landmarks (HeadLandmarkGroups[0]) lie on the face
// ellipse, in its own coordinates (the unit circle): evenly spaced over the lower half and the
// sides, from 18° above the right end to 18° above the left. A frame's contour landmarks are these
// points under the face's affine map, whatever the pose, so fitting that map says which pixels of
// a frame are inside the face.
func HeadContourOnFace() [][2]float64 {
	pts := make([][2]float64, 9)
	for i := range pts {
		a := math.Pi * (-0.1 + 1.2*float64(i)/8)
		pts[i] = [2]float64{math.Cos(a), math.Sin(a)}
	}
	return pts
}

// HeadLandmarks returns the NumHeadLandmarks landmarks of a pose in pixel coordinates (x, y).
func HeadLandmarks(id HeadIdentity, pose HeadPose, size int) [][2]float64 {
	g := newHeadGeometry(id, pose)
	var pts [][2]float64
	add := func(u, v float64) {
		x, y := g.fromFace(u, v)
		pts = append(pts, [2]float64{(x + 1) / 2 * float64(size), (y + 1) / 2 * float64(size)})
	}
	onSurface := func(su, sv float64) { add(g.fromSurface(su, sv)) }
	for _, p := range HeadContourOnFace() {
		add(p[0], p[1])
	}
	open := eyeRY * (1 - pose.Blink)
	for _, side := range []float64{-1, 1} {
		onSurface(side*eyeX-eyeRX, eyeY)
		onSurface(side*eyeX+eyeRX, eyeY)
		onSurface(side*eyeX, eyeY-open)
		onSurface(side*eyeX, eyeY+open)
	}
	onSurface(0, noseY)
	mouthOpen := 0.03 + 0.15*pose.Mouth
	onSurface(-mouthRX, mouthY)
	onSurface(mouthRX, mouthY)
	onSurface(0, mouthY-mouthOpen)
	onSurface(0, mouthY+mouthOpen)
	return pts
}

// shadeHead is the colour of image point (x, y) and whether it is on the head.
func shadeHead(id HeadIdentity, pose HeadPose, g headGeometry, x, y float64) ([3]float64, bool) {
	u, v := g.toFace(x, y)
	r2 := u*u + v*v
	su, sv := g.surface(u, v)
	hairOuter := u*u/(1.12*1.12) + (v+0.08)*(v+0.08)/(1.18*1.18)
	inHair := hairOuter <= 1 && (v < -0.55+0.1*math.Abs(u) || (id.HairStyle == 1 && math.Abs(u) > 0.82 && v < 0.7))
	if r2 > 1 && !inHair {
		bg := scale3(id.Background, 1+id.BackgroundTilt*y)
		return bg, false
	}
	if inHair && (r2 > 1 || v < -0.55+0.1*math.Abs(u)) {
		// hair: stripes that follow the surface (move with the head)
		t := 0.5 + 0.5*math.Sin(id.HairFrequency*(su+0.3*sv*sv)+3*sv)
		return scale3(id.Hair, 0.7+0.45*t), true
	}
	depth := math.Sqrt(math.Max(0, 1-r2))
	light := 0.72 + 0.28*depth - 0.1*u*g.yaw
	col := scale3(id.Skin, light)
	// face paint stripes on the cheeks
	if id.StripePhase >= 0 && sv > -0.05 && sv < 0.35 && math.Abs(su) > 0.3 {
		if math.Sin(id.StripeFreq*sv*3+id.StripePhase) > 0.3 {
			col = mix(col, id.Detail, 0.75)
		}
	}
	for _, f := range id.Freckles {
		if d := (su-f[0])*(su-f[0]) + (sv-f[1])*(sv-f[1]); d < 0.045*0.045 {
			col = mix(col, id.Detail, 0.7)
		}
	}
	// eyes
	open := eyeRY * (1 - pose.Blink)
	for _, side := range []float64{-1, 1} {
		ex, ey := su-side*eyeX, sv-eyeY
		e := ex*ex/(eyeRX*eyeRX) + ey*ey/math.Max(open*open, 1e-6)
		switch {
		case open > 0.01 && e <= 1:
			col = [3]float64{0.95, 0.95, 0.93}
			if ex*ex+ey*ey < 0.065*0.065 {
				col = id.Eye
			}
			if ex*ex+ey*ey < 0.03*0.03 {
				col = [3]float64{0.05, 0.05, 0.05}
			}
		case math.Abs(ey) < 0.018 && math.Abs(ex) < eyeRX:
			col = scale3(id.Skin, 0.45) // closed lid
		}
		if id.Glasses {
			ring := math.Sqrt(ex*ex/(0.22*0.22) + ey*ey/(0.17*0.17))
			if math.Abs(ring-1) < 0.12 || (side < 0 && math.Abs(ey+0.02) < 0.02 && su > -eyeX+0.2 && su < eyeX-0.2) {
				col = id.GlassesColor
			}
		}
	}
	// nose
	if nx, ny := su, sv-noseY; nx*nx/(0.07*0.07)+ny*ny/(0.05*0.05) <= 1 {
		col = scale3(col, 0.8)
	}
	// mouth
	mouthOpen := 0.03 + 0.15*pose.Mouth
	if mx, my := su, sv-mouthY; mx*mx/(mouthRX*mouthRX)+my*my/(mouthOpen*mouthOpen) <= 1 {
		lip := mx*mx/(mouthRX*mouthRX) + my*my/math.Max((mouthOpen-0.03)*(mouthOpen-0.03), 1e-6)
		if pose.Mouth > 0.05 && lip <= 1 {
			col = [3]float64{0.25, 0.05, 0.08}
		} else {
			col = mix(col, [3]float64{0.7, 0.2, 0.25}, 0.7)
		}
	}
	return col, true
}

// Heads is a procedural talking-head population: identity i of Seed, frames drawn by pose.
// Identities [0, Train) are the training identities, [Train, Train+Test) the held-out ones.
type Heads struct {
	Seed        uint64
	Size        int // image size (64 default; 128 supported)
	Train, Test int // identities in each split
}

// DefaultHeads: 64×64, 400 training and 50 held-out identities, seed 1.
func DefaultHeads() Heads { return Heads{Seed: 1, Size: 64, Train: 400, Test: 50} }

// Validate checks the sizes.
func (h Heads) Validate() error {
	if h.Size < 16 || h.Size > 512 {
		return fmt.Errorf("talking heads: image size %d, want 16…512", h.Size)
	}
	if h.Train < 1 || h.Test < 0 {
		return fmt.Errorf("talking heads: %d training and %d test identities, want ≥ 1 and ≥ 0", h.Train, h.Test)
	}
	return nil
}

// Identity returns identity i (of either split).
func (h Heads) Identity(i int) HeadIdentity { return NewHeadIdentity(h.Seed, i) }

// Frame renders identity i in a pose.
func (h Heads) Frame(i int, pose HeadPose) (rgb []float32, landmarks [][2]float64, mask []float32) {
	return RenderHead(h.Identity(i), pose, h.Size)
}

// HeadsTrainingFrames is how many frames DCGAN's heads training set renders by default
// (`ganlab train dcgan -dataset heads -heads-n`).
const HeadsTrainingFrames = 20000

// ImageSet renders n frames of the training identities (random poses, seeded) as an unlabelled
// RGB image set: the 64×64 data of DCGAN's paper64 preset.
func (h Heads) ImageSet(n int) (*ImageSet, error) {
	return h.ImageSubset(n, nil)
}

// ImageSubset renders the frames at indices (all n when nil) of the n-frame stream that
// ImageSet(n) renders: frame k is the same in both.
func (h Heads) ImageSubset(n int, indices []int) (*ImageSet, error) {
	if err := h.Validate(); err != nil {
		return nil, err
	}
	if n <= 0 {
		return nil, fmt.Errorf("talking heads: %d images requested", n)
	}
	ids, poses := make([]int, n), make([]HeadPose, n)
	rng := rand.New(rand.NewPCG(h.Seed, 7))
	for k := range n { // drawn in order: the set does not depend on the number of workers
		ids[k], poses[k] = rng.IntN(h.Train), RandomHeadPose(rng)
	}
	if indices == nil {
		indices = make([]int, n)
		for k := range indices {
			indices[k] = k
		}
	}
	s, m := h.Size, len(indices)
	for _, k := range indices {
		if k < 0 || k >= n {
			return nil, fmt.Errorf("talking heads: frame %d of %d requested", k, n)
		}
	}
	set := &ImageSet{Name: fmt.Sprintf("talking heads %d×%d", s, s), N: m, H: s, W: s, C: 3, Pixels: make([]uint8, m*s*s*3)}
	parallel.For(m, func(j int) { // frames are independent and CPU-bound
		rgb, _, _ := h.Frame(ids[indices[j]], poses[indices[j]])
		quantize(set.Pixels[j*s*s*3:], rgb)
	})
	return set, nil
}

// IdentitySize is the side of the frames in IdentitySet: the heads' frames reduced by box
// averaging (DownsampleRGB), enough to tell skin, hair, glasses, freckles and stripes apart.
const IdentitySize = 32

// IdentitySet renders perIdentity frames of each training identity in random poses (seeded
// separately for the train and test splits), labelled by identity and reduced to
// IdentitySize²: the data of the identity network that judges whether an avatar keeps the
// person (avatar.Compare). The image size h.Size must be a multiple of IdentitySize.
func (h Heads) IdentitySet(split Split, perIdentity int) (*ImageSet, error) {
	if err := h.Validate(); err != nil {
		return nil, err
	}
	if h.Size%IdentitySize != 0 || perIdentity <= 0 {
		return nil, fmt.Errorf("talking heads identities: size %d must be a multiple of %d and frames per identity %d > 0", h.Size, IdentitySize, perIdentity)
	}
	n, s := h.Train*perIdentity, IdentitySize
	set := &ImageSet{Name: fmt.Sprintf("talking heads identities (%s)", split), N: n, H: s, W: s, C: 3,
		Pixels: make([]uint8, n*s*s*3), Labels: make([]int, n), Classes: make([]string, h.Train)}
	for i := range set.Classes {
		set.Classes[i] = fmt.Sprint("identity ", i)
	}
	rng := rand.New(rand.NewPCG(h.Seed, 11+uint64(split)))
	poses := make([]HeadPose, n)
	for k := range n {
		set.Labels[k], poses[k] = k/perIdentity, RandomHeadPose(rng)
	}
	parallel.For(n, func(k int) {
		rgb, _, _ := h.Frame(set.Labels[k], poses[k])
		quantize(set.Pixels[k*s*s*3:], DownsampleRGB(rgb, h.Size, h.Size/s))
	})
	return set, nil
}

// quantize writes values in [0, 1] as bytes 0…255 at the start of dst.
func quantize(dst []uint8, values []float32) {
	for j, v := range values {
		dst[j] = uint8(math.Round(float64(v) * 255))
	}
}

// DownsampleRGB reduces an RGB image [size·size·3] by averaging factor×factor boxes.
func DownsampleRGB(rgb []float32, size, factor int) []float32 {
	o := size / factor
	out := make([]float32, o*o*3)
	norm := 1 / float32(factor*factor)
	for y := range size {
		for x := range size {
			for c := range 3 {
				out[((y/factor)*o+x/factor)*3+c] += rgb[(y*size+x)*3+c] * norm
			}
		}
	}
	return out
}
