package dcgan_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/janpfeifer/must"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/dcgan"
	"github.com/ganlab/ganlab/pretrained"
)

// Sampling the shipped pretrained DCGAN-MNIST generator (examples/dcgan-sample is the same as a
// separate module, writing a PNG grid).
func ExampleLoadGenerator() {
	backend.Quiet()
	generator, config := must.M2(dcgan.LoadGenerator(backend.MustNew("go"), must.M1(pretrained.Path("dcgan-mnist.gob"))))
	digits := must.M1(generator.Sample(16))
	fmt.Println(config.Preset, digits.Shape().Dimensions)
	// Output: paper [16 32 32 1]
}

// The paper preset doubles the image size per layer from 4×4, so a size that is not 4·2^k is an
// error that says why.
func ExampleConfig_Validate() {
	c := dcgan.Paper64()
	c.ImageSize = 48
	fmt.Println(c.Validate())
	// Output: DCGAN preset "paper" cannot build 48×48 images: the size must be 4·2^k ≥ 8 (8, 16, 32, 64, 128…)
}

// TestSeparateModuleExample builds examples/dcgan-sample — a module of its own that requires
// ganlab — and runs it: a new user's 15 lines that import dcgan and write a sample image.
func TestSeparateModuleExample(t *testing.T) {
	if testing.Short() {
		t.Skip("builds another module")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "dcgan-sample")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = filepath.Join("..", "examples", "dcgan-sample")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build in examples/dcgan-sample: %v\n%s", err, out)
	}
	run := exec.Command(bin)
	run.Dir = dir
	run.Env = append(os.Environ(), "GOMLX_BACKEND=go")
	if out, err := run.CombinedOutput(); err != nil {
		t.Fatalf("dcgan-sample: %v\n%s", err, out)
	}
	st, err := os.Stat(filepath.Join(dir, "digits.png"))
	if err != nil || st.Size() < 1000 {
		t.Fatalf("digits.png: %v", err)
	}
}
