package datasets

import (
	"fmt"
	"image"
	"image/color"
)

// ImageSet is a set of same-sized images with optional integer labels, stored compactly as
// uint8 pixels in N×H×W×C order (channels last, 0 = black/background as in MNIST).
//
// An image has one label, a class of Classes, or, when Attributes is set, one value of each
// attribute: Labels then holds A = len(Attributes) values per image, image i's at [i·A, (i+1)·A).
type ImageSet struct {
	Name       string
	N, H, W, C int
	Pixels     []uint8 // len N·H·W·C
	Labels     []int   // len N·LabelsPerImage(), or nil when unlabelled
	Classes    []string
	Attributes []Attribute
}

// Attribute is a property an image shows, with its possible values (a label of an attribute is an
// index into Values).
type Attribute struct {
	Name   string
	Values []string
}

// LabelsPerImage is 1, or the number of attributes when the set labels attributes.
func (s *ImageSet) LabelsPerImage() int { return max(1, len(s.Attributes)) }

// labelRange returns how many values the label at position j of an image's labels can take.
func (s *ImageSet) labelRange(j int) int {
	if s.Attributes != nil {
		return len(s.Attributes[j].Values)
	}
	return len(s.Classes)
}

// Validate checks the set's internal consistency: sizes, pixel count, label range.
func (s *ImageSet) Validate() error {
	if s.N <= 0 || s.H <= 0 || s.W <= 0 || (s.C != 1 && s.C != 3) {
		return fmt.Errorf("image set %q: bad shape N=%d H=%d W=%d C=%d (C must be 1 or 3)", s.Name, s.N, s.H, s.W, s.C)
	}
	if len(s.Pixels) != s.N*s.H*s.W*s.C {
		return fmt.Errorf("image set %q: %d pixels for %d×%d×%d×%d", s.Name, len(s.Pixels), s.N, s.H, s.W, s.C)
	}
	if s.Labels != nil {
		a := s.LabelsPerImage()
		if len(s.Labels) != s.N*a {
			return fmt.Errorf("image set %q: %d labels for %d images (%d each)", s.Name, len(s.Labels), s.N, a)
		}
		for i, l := range s.Labels {
			if k := s.labelRange(i % a); l < 0 || l >= k {
				return fmt.Errorf("image set %q: label %d of image %d outside [0, %d)", s.Name, l, i/a, k)
			}
		}
	}
	return nil
}

// ImageSize is H·W·C.
func (s *ImageSet) ImageSize() int { return s.H * s.W * s.C }

// Batch copies the images at indices into dst as float32 scaled to [−1, 1] (the range of a tanh
// generator output: x/127.5 − 1), shape [len(indices), H, W, C], and returns dst and the labels
// (nil if unlabelled; LabelsPerImage per image). dst is reallocated if too small.
func (s *ImageSet) Batch(indices []int, dst []float32) ([]float32, []int32) {
	size := s.ImageSize()
	if cap(dst) < len(indices)*size {
		dst = make([]float32, len(indices)*size)
	}
	dst = dst[:len(indices)*size]
	var labels []int32
	a := s.LabelsPerImage()
	if s.Labels != nil {
		labels = make([]int32, len(indices)*a)
	}
	for k, idx := range indices {
		src := s.Pixels[idx*size : (idx+1)*size]
		out := dst[k*size : (k+1)*size]
		for i, p := range src {
			out[i] = float32(p)/127.5 - 1
		}
		if labels != nil {
			for j := range a {
				labels[k*a+j] = int32(s.Labels[idx*a+j])
			}
		}
	}
	return dst, labels
}

// Image returns image i as a Go image (Gray for C = 1, RGBA for C = 3).
func (s *ImageSet) Image(i int) image.Image {
	size := s.ImageSize()
	return PixelsToImage(s.Pixels[i*size:(i+1)*size], s.H, s.W, s.C)
}

// PixelsToImage wraps H×W×C uint8 pixels (C = 1 or 3) as a Go image.
func PixelsToImage(px []uint8, h, w, c int) image.Image {
	if c == 1 {
		img := image.NewGray(image.Rect(0, 0, w, h))
		copy(img.Pix, px)
		return img
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			o := (y*w + x) * 3
			img.SetRGBA(x, y, color.RGBA{px[o], px[o+1], px[o+2], 255})
		}
	}
	return img
}

// Subset returns the first n images (all if n ≤ 0 or n ≥ N), sharing memory.
func (s *ImageSet) Subset(n int) *ImageSet {
	if n <= 0 || n >= s.N {
		return s
	}
	out := *s
	out.N = n
	out.Pixels = s.Pixels[:n*s.ImageSize()]
	if s.Labels != nil {
		out.Labels = s.Labels[:n*s.LabelsPerImage()]
	}
	return &out
}

// Select returns a copy of the images at indices (each in [0, N)), with their labels.
func (s *ImageSet) Select(indices []int) *ImageSet {
	out := *s
	size := s.ImageSize()
	out.N, out.Pixels = len(indices), make([]uint8, 0, len(indices)*size)
	out.Labels = nil
	for _, i := range indices {
		out.Pixels = append(out.Pixels, s.Pixels[i*size:(i+1)*size]...)
		if a := s.LabelsPerImage(); s.Labels != nil {
			out.Labels = append(out.Labels, s.Labels[i*a:(i+1)*a]...)
		}
	}
	return &out
}

// Padded returns a copy of the set with a border of pad pixels of value 0 on every side: MNIST's
// 28×28 digits become 32×32 (= 4·2³) for the DCGAN paper's architecture, whose sizes double from
// 4×4. In the MNIST convention 0 is the background, so the digits are unchanged; the classifier
// crops the border back off (eval.CenterCrop).
func (s *ImageSet) Padded(pad int) (*ImageSet, error) {
	if pad < 0 {
		return nil, fmt.Errorf("image set %q: padding %d < 0", s.Name, pad)
	}
	h, w := s.H+2*pad, s.W+2*pad
	out := *s
	out.H, out.W = h, w
	out.Pixels = make([]uint8, s.N*h*w*s.C)
	row := s.W * s.C
	for i := range s.N {
		for y := range s.H {
			src := s.Pixels[(i*s.H+y)*row:][:row]
			copy(out.Pixels[((i*h+y+pad)*w+pad)*s.C:], src)
		}
	}
	return &out, nil
}
