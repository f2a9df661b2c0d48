package datasets

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, path string, data []byte) string {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func idxBytes(t *testing.T, x *IDX) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteIDX(&buf, x); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gzipped(data []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(data)
	w.Close()
	return buf.Bytes()
}

func TestIDXRoundTripRawAndGzip(t *testing.T) {
	x := &IDX{Type: IDXUint8, Dims: []int{2, 3, 2}, Data: []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255}}
	raw := idxBytes(t, x)
	dir := t.TempDir()
	for name, data := range map[string][]byte{"raw.idx": raw, "packed.gz": gzipped(raw), "gz-without-extension": gzipped(raw)} {
		got, err := ReadIDXFile(writeFile(t, filepath.Join(dir, name), data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got.Type != x.Type || len(got.Dims) != 3 || got.Dims[1] != 3 || !bytes.Equal(got.Data, x.Data) {
			t.Fatalf("%s: round trip gave %+v", name, got)
		}
	}
	f := &IDX{Type: IDXFloat64, Dims: []int{1}, Data: []byte{0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18}}
	if v := f.Float64s()[0]; v != 3.141592653589793 {
		t.Fatalf("float64 element = %v", v)
	}
}

// TestIDXBadInput: every malformed file is an error that names the file and the problem.
func TestIDXBadInput(t *testing.T) {
	good := idxBytes(t, &IDX{Type: IDXUint8, Dims: []int{2, 2}, Data: []byte{1, 2, 3, 4}})
	dir := t.TempDir()
	cases := []struct {
		name, wantInError string
		data              []byte
	}{
		{"empty", "too short", nil},
		{"wrong-magic", "bad magic number", append([]byte{0x12, 0x34}, good[2:]...)},
		{"html-page", "bad magic number", []byte("<html>404 not found</html>")},
		{"unknown-type", "unknown IDX element type 0x07", append([]byte{0, 0, 7}, good[3:]...)},
		{"rank-zero", "rank 0", []byte{0, 0, 8, 0}},
		{"truncated-header", "truncated header", good[:6]},
		{"truncated-data", "truncated data", good[:len(good)-1]},
		{"trailing-bytes", "size mismatch: 2 bytes after", append(append([]byte{}, good...), 9, 9)},
		{"zero-dimension", "dimension 1 is 0", []byte{0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 0}},
		{"absurd-dimensions", "exceed", []byte{0, 0, 8, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
		{"corrupt-gzip", "", append([]byte{0x1f, 0x8b}, []byte("not really gzip")...)},
		{"truncated-gzip", "", gzipped(good)[:20]},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := writeFile(t, filepath.Join(dir, c.name+".idx"), c.data)
			_, err := ReadIDXFile(path)
			if err == nil {
				t.Fatalf("no error for %s", c.name)
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.wantInError) {
				t.Fatalf("error %q should name %s and say %q", err, path, c.wantInError)
			}
		})
	}
	if _, err := ReadIDXFile(filepath.Join(dir, "missing.idx")); err == nil || !strings.Contains(err.Error(), "missing.idx") {
		t.Fatalf("missing file: %v", err)
	}
}

func TestLoadIDXImagesChecksPairs(t *testing.T) {
	dir := t.TempDir()
	imgs := writeFile(t, filepath.Join(dir, "imgs"), idxBytes(t, &IDX{Type: IDXUint8, Dims: []int{2, 2, 2}, Data: make([]byte, 8)}))
	threeLabels := writeFile(t, filepath.Join(dir, "labels3"), idxBytes(t, &IDX{Type: IDXUint8, Dims: []int{3}, Data: []byte{0, 1, 2}}))
	badLabel := writeFile(t, filepath.Join(dir, "labels-bad"), idxBytes(t, &IDX{Type: IDXUint8, Dims: []int{2}, Data: []byte{0, 10}}))
	if _, err := LoadIDXImages(imgs, threeLabels, "x", MNISTClasses); err == nil || !strings.Contains(err.Error(), "2 images but 3 labels") {
		t.Fatalf("count mismatch: %v", err)
	}
	if _, err := LoadIDXImages(imgs, badLabel, "x", MNISTClasses); err == nil || !strings.Contains(err.Error(), "label 10") {
		t.Fatalf("label out of range: %v", err)
	}
	if _, err := LoadIDXImages(threeLabels, "", "x", nil); err == nil || !strings.Contains(err.Error(), "want uint8 images") {
		t.Fatalf("labels as images: %v", err)
	}
}
