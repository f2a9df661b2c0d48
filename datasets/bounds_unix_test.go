//go:build unix

package datasets

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestImageFolderBounds: an image whose header declares more than MaxImagePixels is refused
// before it is decoded, and a FIFO named *.png is skipped instead of blocking the read.
func TestImageFolderBounds(t *testing.T) {
	dir := t.TempDir()
	var small bytes.Buffer
	if err := png.Encode(&small, image.NewGray(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.png"), small.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.png"), 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := LoadImageFolder(dir, 8, 1)
	if err != nil || set.N != 1 {
		t.Fatalf("with a FIFO in the folder: %v", err)
	}
	// A PNG header declaring 5000×5000: the width and height fields of IHDR, patched.
	var big bytes.Buffer
	if err := png.Encode(&big, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	raw := big.Bytes()
	for i, v := range []byte{0, 0, 0x13, 0x88, 0, 0, 0x13, 0x88} {
		raw[16+i] = v
	}
	binary.BigEndian.PutUint32(raw[29:], crc32.ChecksumIEEE(raw[12:29])) // the chunk's CRC
	path := filepath.Join(dir, "b.png")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadImageFile(path, 8); err == nil || !strings.Contains(err.Error(), "5000×5000 pixels") {
		t.Fatalf("a 5000×5000 header: %v", err)
	}
}
