package datasets

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadIDX: no input makes the IDX reader panic or allocate without bound; whatever it
// accepts, WriteIDX writes back byte for byte (for raw input).
func FuzzReadIDX(f *testing.F) {
	f.Add([]byte{0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3})
	f.Add([]byte{0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 9, 8, 7, 6})
	f.Add([]byte{0, 0, 0x0D, 1, 0, 0, 0, 1, 0x3f, 0x80, 0, 0})
	f.Add([]byte{0, 0, 0x0E, 1, 0, 0, 0, 1, 0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18})
	f.Add(gzipped([]byte{0, 0, 8, 1, 0, 0, 0, 2, 5, 6}))
	f.Add([]byte{0x1f, 0x8b, 0, 0})
	f.Add([]byte{0, 0, 8, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		x, err := ReadIDX(bytes.NewReader(data))
		if err != nil {
			return
		}
		if x.Len() <= 0 || len(x.Dims) == 0 {
			t.Fatalf("accepted an empty IDX: %+v", x)
		}
		var buf bytes.Buffer
		if err := WriteIDX(&buf, x); err != nil {
			t.Fatalf("WriteIDX of an accepted file: %v", err)
		}
		if len(data) > 1 && !(data[0] == 0x1f && data[1] == 0x8b) && !bytes.Equal(buf.Bytes(), data) {
			t.Fatalf("round trip changed the bytes")
		}
		_ = x.Float64s()
	})
}

// FuzzLoadImageFile: no file content makes the image loader panic; what it accepts is a
// size×size RGBA image.
func FuzzLoadImageFile(f *testing.F) {
	var buf bytes.Buffer
	img := image.NewNRGBA(image.Rect(0, 0, 3, 2))
	img.Set(1, 1, color.NRGBA{200, 100, 50, 128})
	_ = png.Encode(&buf, img)
	f.Add(buf.Bytes())
	gray := image.NewGray(image.Rect(0, 0, 1, 5))
	buf.Reset()
	_ = png.Encode(&buf, gray)
	f.Add(buf.Bytes())
	f.Add([]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"))
	f.Add([]byte("\xff\xd8\xff\xe0 not really a jpeg"))
	f.Add([]byte{})
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "x.png")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := LoadImageFile(path, 4)
		if err != nil {
			return
		}
		if b := out.Bounds(); b.Dx() != 4 || b.Dy() != 4 {
			t.Fatalf("accepted image has size %v", b.Size())
		}
	})
}
