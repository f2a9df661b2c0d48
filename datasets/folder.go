package datasets

import (
	"fmt"
	"image"
	"image/color"
	_ "image/gif"  // decoders register themselves with image.Decode
	_ "image/jpeg" //
	_ "image/png"  //
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/image/draw"
)

// imageExtensions are the file names LoadImageFolder reads; other files (README, .DS_Store…) are
// skipped, but a file with one of these extensions that does not decode is an error.
// MaxImagePixels bounds the images LoadImageFile decodes (4096×4096): a decoded image takes up
// to 8 bytes a pixel, and training images are resized to at most a few hundred pixels a side.
const MaxImagePixels = 4096 * 4096

var imageExtensions = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".gif": true}

// LoadImageFolder loads every PNG/JPEG/GIF under dir (recursively, in sorted order) as a size×size
// image with channels 1 (luma) or 3 (RGB): each is centre-cropped to a square on its shorter side
// and resized with Catmull-Rom interpolation. Grayscale, RGB, RGBA and paletted inputs are all
// accepted; transparency is composited over black. Images of different sizes are fine.
// Unlabelled. An undecodable image file, an empty folder or a bad size is an error naming it.
func LoadImageFolder(dir string, size, channels int) (*ImageSet, error) {
	if size <= 0 {
		return nil, fmt.Errorf("image folder %s: size must be > 0, got %d", dir, size)
	}
	if channels != 1 && channels != 3 {
		return nil, fmt.Errorf("image folder %s: channels must be 1 or 3, got %d", dir, channels)
	}
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if imageExtensions[strings.ToLower(filepath.Ext(path))] && !strings.HasPrefix(d.Name(), ".") && d.Type().IsRegular() {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("image folder %s: %w", dir, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("image folder %s: no .png, .jpg, .jpeg or .gif files", dir)
	}
	sort.Strings(files)
	set := &ImageSet{Name: filepath.Base(dir), N: len(files), H: size, W: size, C: channels,
		Pixels: make([]uint8, len(files)*size*size*channels)}
	for i, path := range files {
		img, err := LoadImageFile(path, size)
		if err != nil {
			return nil, err
		}
		writePixels(set.Pixels[i*set.ImageSize():(i+1)*set.ImageSize()], img, channels)
	}
	return set, set.Validate()
}

// LoadImageFile decodes one image file and returns it centre-cropped and resized to size×size.
func LoadImageFile(path string, size int) (*image.RGBA, error) {
	if st, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("image %s: %w", path, err)
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("image %s: not a regular file", path) // a FIFO would block forever
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("image %s: %w", path, err)
	}
	defer f.Close()
	// The header gives the size before anything is decoded: a small file can declare an image
	// that takes gigabytes.
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return nil, fmt.Errorf("image %s: cannot decode (%v); want PNG, JPEG or GIF", path, err)
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
		return nil, fmt.Errorf("image %s: %d×%d pixels, more than the %d (%d×%d) ganlab decodes", path, cfg.Width, cfg.Height, MaxImagePixels, 4096, 4096)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("image %s: %w", path, err)
	}
	src, format, err := image.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("image %s: cannot decode (%v); want PNG, JPEG or GIF", path, err)
	}
	b := src.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 {
		return nil, fmt.Errorf("image %s: empty %s image", path, format)
	}
	side := min(b.Dx(), b.Dy())
	crop := image.Rect(b.Min.X+(b.Dx()-side)/2, b.Min.Y+(b.Dy()-side)/2, 0, 0)
	crop.Max = crop.Min.Add(image.Pt(side, side))
	dst := image.NewRGBA(image.Rect(0, 0, size, size))
	draw.Draw(dst, dst.Bounds(), image.Black, image.Point{}, draw.Src) // transparent → black
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, crop, draw.Over, nil)
	return dst, nil
}

// writePixels converts an RGBA image to channels-last uint8 with 1 (ITU-R 601 luma) or 3 channels.
func writePixels(dst []uint8, img *image.RGBA, channels int) {
	b := img.Bounds()
	k := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := img.RGBAAt(x, y)
			if channels == 1 {
				dst[k] = color.GrayModel.Convert(c).(color.Gray).Y
				k++
			} else {
				dst[k], dst[k+1], dst[k+2] = c.R, c.G, c.B
				k += 3
			}
		}
	}
}
