package plotting

import (
	"image"
	"image/color"
	"image/gif"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSaveGIF: every frame lands in the file with its delay; no frames is an error naming the
// file, and nothing is written.
func TestSaveGIF(t *testing.T) {
	var frames []image.Image
	for i := range 3 {
		img := image.NewGray(image.Rect(0, 0, 8, 6))
		img.SetGray(i, i, color.Gray{Y: 255})
		frames = append(frames, img)
	}
	path := filepath.Join(t.TempDir(), "sub", "p.gif")
	if err := SaveGIF(path, frames, 30); err != nil {
		t.Fatal(err)
	}
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	g, err := gif.DecodeAll(fh)
	if err != nil || len(g.Image) != 3 || g.Delay[2] != 30 || g.Image[0].Bounds().Dx() != 8 {
		t.Fatalf("decoded %v frames, err %v", len(g.Image), err)
	}
	empty := filepath.Join(t.TempDir(), "e.gif")
	if err := SaveGIF(empty, nil, 30); err == nil || !strings.Contains(err.Error(), "e.gif") {
		t.Fatalf("no frames: %v", err)
	}
	if _, err := os.Stat(empty); err == nil {
		t.Fatal("a GIF without frames was written")
	}
}
