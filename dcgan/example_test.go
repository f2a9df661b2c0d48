package dcgan_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

// TestREADMEProgram runs the README's program as a new user would: its first Go block (which
// must be examples/dcgan-sample/main.go, byte for byte) in a new module set up by the shell lines
// that follow it, with ../ganlab replaced by this checkout. It must write digits.png.
func TestREADMEProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("builds another module")
	}
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	block := func(text, lang string) (string, string) {
		start := strings.Index(text, "```"+lang+"\n")
		if start < 0 {
			t.Fatalf("README.md has no %s block", lang)
		}
		body := text[start+len(lang)+4:]
		end := strings.Index(body, "```")
		return body[:end], body[end+3:]
	}
	program, rest := block(string(readme), "go")
	if !strings.HasPrefix(program, "package main\n") {
		t.Fatalf("the README's first Go block does not start with package main:\n%s", program)
	}
	example, err := os.ReadFile(filepath.Join("..", "examples", "dcgan-sample", "main.go"))
	if err != nil || string(example) != program {
		t.Fatalf("the README's program differs from examples/dcgan-sample/main.go (%v)", err)
	}
	setup, _ := block(rest, "sh")
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(program), 0o644); err != nil {
		t.Fatal(err)
	}
	script := "set -e\n" + strings.ReplaceAll(setup, "=../ganlab", "="+root)
	cmd := exec.Command("bash", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOMLX_BACKEND=go", "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the README's set-up and run: %v\n%s", err, out)
	}
	if st, err := os.Stat(filepath.Join(dir, "digits.png")); err != nil || st.Size() < 1000 {
		t.Fatalf("digits.png: %v", err)
	}
}
