package plotting

import (
	"fmt"
	"image"
	"image/color"
	"image/color/palette"
	"image/draw"
	"image/gif"
	"io"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// ImageGrid tiles images (all the same size) into rows × cols with a pad-pixel border, scaled
// by an integer zoom factor (nearest neighbour, so pixels stay crisp).
func ImageGrid(images []image.Image, cols, pad, zoom int) (image.Image, error) {
	if len(images) == 0 {
		return nil, fmt.Errorf("image grid: no images")
	}
	if cols <= 0 {
		cols = int(math.Ceil(math.Sqrt(float64(len(images)))))
	}
	zoom = max(zoom, 1)
	b := images[0].Bounds()
	w, h := b.Dx()*zoom, b.Dy()*zoom
	rows := (len(images) + cols - 1) / cols
	out := image.NewRGBA(image.Rect(0, 0, cols*(w+pad)+pad, rows*(h+pad)+pad))
	draw.Draw(out, out.Bounds(), image.NewUniform(color.Gray{40}), image.Point{}, draw.Src)
	for i, img := range images {
		if img.Bounds().Dx() != b.Dx() || img.Bounds().Dy() != b.Dy() {
			return nil, fmt.Errorf("image grid: image %d is %v, the first is %v", i, img.Bounds().Size(), b.Size())
		}
		x0, y0 := pad+(i%cols)*(w+pad), pad+(i/cols)*(h+pad)
		ib := img.Bounds()
		for y := range h {
			for x := range w {
				out.Set(x0+x, y0+y, img.At(ib.Min.X+x/zoom, ib.Min.Y+y/zoom))
			}
		}
	}
	return out, nil
}

// FloatImages converts a batch [n, H, W, C] of values in [−1, 1] (a tanh generator's output),
// given flat, to images: C = 1 grayscale, C = 3 RGB.
func FloatImages(flat []float32, n, h, w, c int) ([]image.Image, error) {
	if len(flat) != n*h*w*c || (c != 1 && c != 3) {
		return nil, fmt.Errorf("images: %d values for %d×%d×%d×%d (C must be 1 or 3)", len(flat), n, h, w, c)
	}
	toByte := func(v float32) uint8 {
		u := (float64(v) + 1) * 127.5
		return uint8(math.Round(math.Min(math.Max(u, 0), 255)))
	}
	out := make([]image.Image, n)
	size := h * w * c
	for i := range n {
		px := flat[i*size : (i+1)*size]
		if c == 1 {
			img := image.NewGray(image.Rect(0, 0, w, h))
			for k, v := range px {
				img.Pix[k] = toByte(v)
			}
			out[i] = img
			continue
		}
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		for k := range h * w {
			img.Pix[4*k], img.Pix[4*k+1], img.Pix[4*k+2], img.Pix[4*k+3] = toByte(px[3*k]), toByte(px[3*k+1]), toByte(px[3*k+2]), 255
		}
		out[i] = img
	}
	return out, nil
}

// GIF writes frames as an animated GIF, delay in 1/100 s per frame, looping forever.
func GIF(w io.Writer, frames []image.Image, delay int) error {
	if len(frames) == 0 {
		return fmt.Errorf("gif: no frames")
	}
	anim := &gif.GIF{}
	for _, f := range frames {
		pal := image.NewPaletted(f.Bounds(), palette.Plan9)
		draw.FloydSteinberg.Draw(pal, f.Bounds(), f, f.Bounds().Min)
		anim.Image = append(anim.Image, pal)
		anim.Delay = append(anim.Delay, delay)
	}
	return gif.EncodeAll(w, anim)
}

// LabelRows adds a left margin to a grid of len(labels) equal rows (an ImageGrid) with each
// row's label written at its middle, e.g. the class of each row of a class grid.
func LabelRows(grid image.Image, labels []string) image.Image {
	if len(labels) == 0 {
		return grid
	}
	face := basicfont.Face7x13
	width := 0
	for _, l := range labels {
		width = max(width, font.MeasureString(face, l).Ceil())
	}
	margin := width + 8
	b := grid.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx()+margin, b.Dy()))
	draw.Draw(out, out.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(out, image.Rect(margin, 0, margin+b.Dx(), b.Dy()), grid, b.Min, draw.Src)
	pitch := float64(b.Dy()) / float64(len(labels))
	d := font.Drawer{Dst: out, Src: image.NewUniform(color.Black), Face: face}
	for i, l := range labels {
		d.Dot = fixed.P(margin-4-font.MeasureString(face, l).Ceil(), int((float64(i)+0.5)*pitch)+face.Ascent/2)
		d.DrawString(l)
	}
	return out
}
