package plotting

import (
	"bytes"
	"image"
	"image/gif"
	"math"
	"path/filepath"
	"testing"
)

func TestSmooth(t *testing.T) {
	got := Smooth([]float64{1, 2, 3, 4, 5}, 2)
	want := []float64{1, 1.5, 2.5, 3.5, 4.5}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Fatalf("Smooth = %v, want %v", got, want)
		}
	}
}

func TestFloatImagesAndGrid(t *testing.T) {
	flat := []float32{-1, 0, 1, 0.5, -1, -1, -1, -1} // two 2×2 grayscale images
	imgs, err := FloatImages(flat, 2, 2, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	g := imgs[0].(*image.Gray)
	if g.Pix[0] != 0 || g.Pix[1] != 128 || g.Pix[2] != 255 || g.Pix[3] != 191 {
		t.Fatalf("[-1,1] → bytes: %v", g.Pix)
	}
	grid, err := ImageGrid(imgs, 2, 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	if b := grid.Bounds(); b.Dx() != 2*(6+1)+1 || b.Dy() != 6+2 {
		t.Fatalf("grid size %v", b)
	}
	if _, err := FloatImages(flat, 2, 2, 2, 3); err == nil {
		t.Fatal("wrong size accepted")
	}
	var buf bytes.Buffer
	if err := GIF(&buf, []image.Image{imgs[0], imgs[1]}, 10); err != nil {
		t.Fatal(err)
	}
	anim, err := gif.DecodeAll(&buf)
	if err != nil || len(anim.Image) != 2 {
		t.Fatalf("gif: %v, %d frames", err, len(anim.Image))
	}
}

func TestFiguresRender(t *testing.T) {
	x := []float64{0, 1, 2, 3}
	p := Curves("t", "x", "y", 2, Series{Name: "a", X: x, Y: []float64{1, 2, 1, 2}})
	d := Figure1Data{X: x, PData: []float64{0, .5, .5, 0}, PG: []float64{.1, .4, .4, .1}, D: []float64{.4, .5, .5, .6}, Z: []float64{-1, 1}, GZ: []float64{1, 2}}
	img := Figure1(d, d)
	if img.Bounds().Dx() < 400 {
		t.Fatalf("figure 1 too small: %v", img.Bounds())
	}
	s := Scatter2D("s", [][2]float64{{0, 0}, {1, 1}}, [][2]float64{{0, 0}}, 0.1)
	dir := t.TempDir()
	for _, name := range []string{"c.png", "c.svg"} {
		if err := Save(filepath.Join(dir, name), p); err != nil {
			t.Fatal(err)
		}
	}
	if err := Save(filepath.Join(dir, "c.bmp"), s); err == nil {
		t.Fatal(".bmp accepted")
	}
	if err := SaveImage(filepath.Join(dir, "f.png"), Render(DefaultWidth, DefaultHeight, p, s)); err != nil {
		t.Fatal(err)
	}
}
