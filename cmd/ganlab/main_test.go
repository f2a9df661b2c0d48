package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/internal/cli"
	"github.com/ganlab/ganlab/pretrained"
)

var ganlabBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ganlab-cli")
	if err != nil {
		panic(err)
	}
	ganlabBin = filepath.Join(dir, "ganlab")
	build := exec.Command("go", "build", "-o", ganlabBin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("building ganlab: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	code           int
	stdout, stderr string
}

func ganlab(t *testing.T, args ...string) result {
	t.Helper()
	return ganlabEnv(t, nil, args...)
}

// ganlabEnv runs ganlab with extra environment variables.
func ganlabEnv(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(ganlabBin, args...)
	cmd.Env = append(append(os.Environ(), "GOMLX_BACKEND=go"), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errOut.String()}
}

// errorLine returns stderr without the backend report line; it must be exactly one line.
func errorLine(t *testing.T, r result) string {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
		if !strings.HasPrefix(l, "ganlab: backend ") && l != "" && !strings.HasPrefix(l, "train ") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 || strings.Contains(r.stderr, "goroutine ") {
		t.Fatalf("want one error line, got stderr:\n%s", r.stderr)
	}
	return lines[0]
}

func shippedDCGANFile(t *testing.T) string {
	path, err := pretrained.Path("dcgan-mnist.gob")
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func fashionClassifier(t *testing.T) string {
	path, err := pretrained.Path("classifier-fashion.gob")
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func TestUserMistakesExit2WithOneLine(t *testing.T) {
	out := t.TempDir()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"nope"}, `unknown command "nope"`},
		{[]string{"train", "nope"}, `unknown train target "nope"`},
		{[]string{"train", "gan1d", "-k", "0"}, "k (discriminator steps per generator step) = 0"},
		{[]string{"train", "gan1d", "-lr-d", "-1"}, "discriminator learning rate = -1"},
		{[]string{"train", "gan1d", "-lr-g", "0"}, "generator learning rate = 0"},
		{[]string{"train", "gan1d", "-batch", "0"}, "batch size = 0"},
		{[]string{"train", "gan2d", "-z", "0"}, "latent size = 0"},
		{[]string{"train", "gan1d", "-loss", "wasserstein"}, `unknown generator loss "wasserstein"`},
		{[]string{"train", "gan1d", "-steps", "x"}, `invalid value "x" for flag -steps`},
		{[]string{"train", "gan1d", "-resume", "-out", out}, "no checkpoint to resume from"},
		{[]string{"train", "gan1d", "-backend", "tpu"}, `backend "tpu"`},
		{[]string{"bench", "matmul", "-n", "0"}, "-n and -steps must be > 0"},
		{[]string{"train", "cgan", "-arch", "rnn"}, `unknown architecture "rnn"`},
		{[]string{"train", "cgan", "-dataset", "cifar"}, `unknown dataset "cifar"`},
		{[]string{"sample", "cgan", "-dataset", "svhn"}, `unknown dataset "svhn"`},
		{[]string{"sample", "cgan", "-o", "x.jpg"}, "want a .png or .idx"},
		{[]string{"sample", "data", "-dataset", "heads-identity"}, `unknown dataset "heads-identity"`},
		{[]string{"sample", "data", "-o", "x.jpg"}, "want a .png or .idx"},
		{[]string{"sample", "data", "-n", "0"}, "-n must be ≥ 1"},
		{[]string{"train", "avatar", "-kind", "trilayer"}, `unknown kind "trilayer"`},
		{[]string{"train", "avatar", "-size", "40"}, "image size 40"},
		{[]string{"avatar", "-o", "x.png"}, "want a .gif"},
		{[]string{"avatar", "-frames", "0"}, "-frames must be > 0"},
		{[]string{"bench", "avatar", "-identities", "99"}, "-identities in 2…50"},
		{[]string{"xla-install", "-plugin", "tpu"}, `-plugin "tpu": want cpu or cuda`},
		{[]string{"train", "dcgan", "-preset", "paper64", "-size", "48"}, "cannot build 48×48"},
		{[]string{"export", "x.gob"}, "usage: ganlab export -o FILE"},
		{[]string{"sample", "dcgan", "-truncation", "0.01"}, "-truncation must be 0 (off) or a finite number ≥ 0.05"},
		{[]string{"eval", "dcgan", "-run", out, "-truncation", "1"}, "-truncation applies to one generator"},
		{[]string{"train", "dcgan", "-preset", "paper64", "-dataset", "mnist"}, "builds 64×64×1 images but mnist/train has 28×28×1 (-size S pads"},
		// Bounded work: refused before it starts, not an out-of-memory crash or an endless step.
		{[]string{"train", "gan1d", "-batch", "100000000"}, "-batch needs about"},
		{[]string{"train", "gan1d", "-k", "1000000000"}, "want in 1…1000"},
		{[]string{"train", "gan2d", "-modes", "100000000"}, "-modes in 1…1000"},
		{[]string{"bench", "membw", "-mb", "100000000"}, "-mb needs about"},
		{[]string{"bench", "matmul", "-n", "2000000"}, "-n needs about"},
		{[]string{"sample", "dcgan", "-n", "100000000"}, "-n needs about"},
		{[]string{"eval", "cgan", "-n", "100000000"}, "-n needs about"},
		{[]string{"avatar", "-frames", "100000000"}, "-frames needs about"},
		// Validation.
		{[]string{"train", "gan1d", "-mu", "NaN"}, "-mu must be finite"},
		{[]string{"train", "gan1d", "-mu", "1e300"}, "-mu must be finite"},
		{[]string{"train", "dcgan", "-heads-n", "0", "-dataset", "heads"}, "-heads-n must be ≥ 1"},
		{[]string{"train", "dcgan", "-instance-noise", "0.1"}, "instance noise steps = 0, want ≥ 1"},
		{[]string{"train", "dcgan", "-instance-noise", "-0.1", "-instance-noise-steps", "9"}, "instance noise = -0.1"},
		{[]string{"train", "dcgan", "-minibatch-std"}, "the minibatch standard-deviation channel is for the paper preset"},
		{[]string{"train", "dcgan", "-size", "-32"}, "must be ≥ 0"},
		{[]string{"train", "dcgan", "-width", "-1"}, "must be ≥ 0"},
		{[]string{"train", "avatar", "-batch", "-1"}, "batch -1 and width 0 must be ≥ 0"},
		{[]string{"train", "avatar", "-width", "-8"}, "batch 0 and width -8 must be ≥ 0"},
		{[]string{"avatar", "-kind", "foo"}, "-kind bilayer or baseline"},
		{[]string{"train", "classifier", "-shift", "-1"}, "shift ≥ 0"},
		{[]string{"train", "classifier", "-shift", "40"}, "-shift 40: want less than the 28×28 images"},
		// Evaluation that could not be trusted.
		{[]string{"eval", "cgan", "-n", "5"}, "want at least one sample per class (10)"},
		{[]string{"eval", "dcgan", "-n", "100", "-classifier", fashionClassifier(t)}, "was trained on fashion"},
		{[]string{"eval", "dcgan", "-dataset", "fashion"}, `-dataset "fashion": want mnist or heads`},
		{[]string{"sample", "dcgan", "-dataset", "cifar"}, `-dataset "cifar": want mnist or heads`},
		{[]string{"eval", "dcgan", "-dataset", "heads", "-run", out}, "-run measures MNIST runs"},
		{[]string{"eval", "dcgan", "-dataset", "heads", "-n", "10001"}, "2n ≤ 20000"},
		{[]string{"eval", "dcgan", "-dataset", "heads", "-n", "100", "-classifier", fashionClassifier(t)}, "was trained on fashion"},
		{[]string{"eval", "dcgan", "-dataset", "heads", "-n", "100", "-checkpoint", shippedDCGANFile(t)}, "draws 32×32×1 images; the heads evaluator measures 64×64×3 frames"},
		// Outputs that would destroy an input or a training checkpoint.
		{[]string{"export", "-o", "x.jpg", shippedDCGANFile(t)}, "-o x.jpg: want a .gob file name"},
		{[]string{"export", "-o", filepath.Join(out, "checkpoints", "ckpt-00000001.gob"), shippedDCGANFile(t)}, "inside a run's checkpoints/ directory"},
		{[]string{"export", "-o", shippedDCGANFile(t), shippedDCGANFile(t)}, "is also an input"},
		{[]string{"average", "-o", shippedDCGANFile(t), shippedDCGANFile(t)}, "is also an input"},
	}
	for _, c := range cases {
		r := ganlab(t, c.args...)
		if r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", c.args, r.code, r.stderr)
			continue
		}
		if line := errorLine(t, r); !strings.Contains(line, c.want) {
			t.Errorf("%v: %q does not say %q", c.args, line, c.want)
		}
	}
}

// TestTheoryCommand: `ganlab theory -json` reports, per pair, the identity's two sides computed
// independently, the sampled and the trained-discriminator values, and they agree as the
// theorem says; the disjoint pair has JS = log 2 and V(D*, G) = 0.
func TestTheoryCommand(t *testing.T) {
	r := ganlab(t, "theory", "-json")
	var reports []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &reports); r.code != 0 || err != nil || len(reports) != 8 {
		t.Fatalf("theory -json: exit %d, %v, %d pairs\n%s%s", r.code, err, len(reports), r.stdout, r.stderr)
	}
	for _, rep := range reports {
		num := func(key string) float64 {
			v, ok := rep[key].(float64)
			if !ok {
				t.Fatalf("%v: no %s", rep["pair"], key)
			}
			return v
		}
		vDirect, js := num("v_direct"), num("js_kl")
		if math.Abs(vDirect-(2*js-2*math.Log(2))) >= 1e-6 || math.Abs(num("v_mc")-vDirect) > 4*num("v_mc_se")+1e-12 || num("v_trained") > vDirect+1e-9 {
			t.Errorf("%v: %v", rep["pair"], rep)
		}
		if strings.HasPrefix(rep["pair"].(string), "disjoint") && (math.Abs(js-math.Log(2)) > 1e-9 || math.Abs(vDirect) > 1e-9) {
			t.Errorf("disjoint supports: JS %g (want log 2), V(D*,G) %g (want 0)", js, vDirect)
		}
	}
}

// TestTrainCheckpointResumeAndInterrupt: a short run writes checkpoints, history and figures;
// rerunning into the same directory without -resume is refused; -resume continues; SIGINT saves
// and exits 0; a corrupt checkpoint is a one-line error naming the file.
func TestTrainCheckpointResumeAndInterrupt(t *testing.T) {
	out := t.TempDir()
	r := ganlab(t, "train", "gan1d", "-steps", "40", "-checkpoint-every", "20", "-out", out)
	if r.code != 0 {
		t.Fatalf("train: exit %d: %s", r.code, r.stderr)
	}
	for _, f := range []string{"checkpoints/ckpt-00000040.gob", "checkpoints/ckpt-00000020.gob", "history.csv", "history.json", "figure1.png", "training.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	if r := ganlab(t, "train", "gan1d", "-steps", "60", "-out", out); r.code != 2 || !strings.Contains(errorLine(t, r), "resume the run (-resume)") {
		t.Fatalf("rerun without -resume: exit %d, %s", r.code, r.stderr)
	}
	r = ganlab(t, "train", "gan1d", "-steps", "60", "-resume", "-out", out)
	if r.code != 0 || !strings.Contains(r.stderr, "resumed from") || !strings.Contains(r.stdout, "step=60") {
		t.Fatalf("resume: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}

	// SIGINT in the middle of a long run.
	intDir := t.TempDir()
	cmd := exec.Command(ganlabBin, "train", "gan1d", "-steps", "1000000", "-checkpoint-every", "1000000", "-out", intDir)
	cmd.Env = append(os.Environ(), "GOMLX_BACKEND=go")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * time.Second)
	_ = cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	if err != nil {
		t.Fatalf("after SIGINT: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "interrupted at step") {
		t.Fatalf("no interruption message:\n%s", stderr.String())
	}
	files, _ := filepath.Glob(filepath.Join(intDir, "checkpoints", "ckpt-*.gob"))
	if len(files) != 1 {
		t.Fatalf("after SIGINT: checkpoints %v", files)
	}

	corrupt := filepath.Join(out, "checkpoints", "ckpt-99999999.gob")
	if err := os.WriteFile(corrupt, []byte("not a checkpoint"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = ganlab(t, "train", "gan1d", "-steps", "70", "-resume", "-out", out)
	if r.code != 1 || !strings.Contains(errorLine(t, r), corrupt) {
		t.Fatalf("corrupt checkpoint: exit %d, %s", r.code, r.stderr)
	}
}

// TestKillDuringCheckpointLeavesLoadableCheckpoints kills (SIGKILL) a run that saves a checkpoint
// after every step, several times at different moments; every checkpoint left behind must load,
// and -resume must continue from the newest.
func TestKillDuringCheckpointLeavesLoadableCheckpoints(t *testing.T) {
	out := t.TempDir()
	for i, wait := range []time.Duration{1500 * time.Millisecond, 2100 * time.Millisecond, 1700 * time.Millisecond} {
		args := []string{"train", "gan1d", "-steps", "1000000", "-checkpoint-every", "1", "-keep", "3", "-out", out}
		if i > 0 {
			args = append(args, "-resume")
		}
		cmd := exec.Command(ganlabBin, args...)
		cmd.Env = append(os.Environ(), "GOMLX_BACKEND=go")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(wait)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		files, _ := filepath.Glob(filepath.Join(out, "checkpoints", "ckpt-*.gob"))
		if len(files) == 0 {
			t.Fatalf("kill %d: no checkpoint survived", i)
		}
		for _, f := range files {
			g, d := gan.Toy1DModels()
			tr, err := gan.NewTrainer(backend.MustNew("go"), gan.Toy1DConfig(), g, d, &gan.Toy1D{Dist: datasets.Gaussian{Mu: 4, Sigma: 1.25}})
			if err != nil {
				t.Fatal(err)
			}
			if err := tr.Load(f, "gan1d"); err != nil {
				t.Fatalf("kill %d: checkpoint %s does not load: %v", i, f, err)
			}
		}
	}
}

// TestDCGANTrainSampleAndExport: a 2-step DCGAN run writes a generator file; `sample dcgan` turns
// it into a PNG grid and an IDX3 file of the MNIST convention; mistakes are one-line errors.
func TestDCGANTrainSampleAndExport(t *testing.T) {
	out := t.TempDir()
	if r := ganlab(t, "train", "dcgan", "-steps", "2", "-batch", "8", "-out", out); r.code != 0 {
		t.Fatalf("train dcgan: exit %d: %s", r.code, r.stderr)
	}
	idx := filepath.Join(out, "s.idx")
	if r := ganlab(t, "sample", "dcgan", "-checkpoint", out, "-n", "5", "-o", idx); r.code != 0 {
		t.Fatalf("sample .idx: exit %d: %s", r.code, r.stderr)
	}
	x, err := datasets.ReadIDXFile(idx)
	if err != nil {
		t.Fatal(err)
	}
	if x.Type != datasets.IDXUint8 || len(x.Dims) != 3 || x.Dims[0] != 5 || x.Dims[1] != 28 || x.Dims[2] != 28 {
		t.Fatalf("IDX export: type %x dims %v", x.Type, x.Dims)
	}
	if r := ganlab(t, "sample", "dcgan", "-checkpoint", filepath.Join(out, "checkpoints"), "-n", "4", "-o", filepath.Join(out, "s.png")); r.code != 0 {
		t.Fatalf("sample .png from checkpoints: exit %d: %s", r.code, r.stderr)
	}
	if r := ganlab(t, "sample", "dcgan", "-checkpoint", out, "-o", "x.jpg"); r.code != 2 || !strings.Contains(errorLine(t, r), "want a .png or .idx") {
		t.Fatalf("bad extension: exit %d %s", r.code, r.stderr)
	}
	// Continue with lower learning rates (a step-wise decay); a flag that contradicts the
	// checkpoint's configuration is refused.
	// Every flag that defined the run is recorded in its checkpoints: one given with another value
	// on -resume is refused, naming both values.
	for _, flag := range [][2]string{{"-batch", "16"}, {"-width", "32"}, {"-d-norm", "none"}, {"-dataset", "fashion"}, {"-preset", "paper64"}, {"-seed", "7"}} {
		r := ganlab(t, "train", "dcgan", "-steps", "3", flag[0], flag[1], "-resume", "-out", out)
		if line := errorLine(t, r); r.code != 2 || !strings.Contains(line, flag[0]+" "+flag[1]+" contradicts the run being resumed, which has "+flag[0]+" ") {
			t.Fatalf("%s %s on resume: exit %d %s", flag[0], flag[1], r.code, line)
		}
	}
	r := ganlab(t, "train", "dcgan", "-steps", "3", "-batch", "8", "-lr-g", "1e-4", "-checkpoint-every", "1", "-resume", "-out", out)
	if r.code != 0 || !strings.Contains(r.stderr, "learning rates from step 3 on: discriminator 0.0002 (was 0.0002), generator 0.0001 (was 0.0002)") {
		t.Fatalf("resume with -lr-g: exit %d\n%s", r.code, r.stderr)
	}
	if info, err := gan.ReadCheckpointInfo(filepath.Join(out, "checkpoints")); err != nil || info.Step != 3 || info.Config.LearningRateG != 1e-4 {
		t.Fatalf("checkpoint after the change: %+v %v", info, err)
	}
	// A GIF with one frame per checkpoint (steps 2 and 3: -keep 3 kept those two), and its
	// flag mistakes.
	gifPath := filepath.Join(out, "run.gif")
	if r := ganlab(t, "sample", "dcgan", "-run", out, "-o", gifPath); r.code != 0 || !strings.Contains(r.stdout, "2 frames") {
		t.Fatalf("sample -run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if fh, err := os.Open(gifPath); err != nil {
		t.Fatal(err)
	} else if g, err := gif.DecodeAll(fh); err != nil || len(g.Image) != 2 || g.Image[0].Bounds().Dx() < 8*28 {
		t.Fatalf("run.gif: %v", err)
	} else {
		fh.Close()
	}
	for _, args := range [][]string{{"-run", out, "-o", "x.png"}, {"-o", "x.gif"}, {"-run", t.TempDir(), "-o", "x.gif"}} {
		if r := ganlab(t, append([]string{"sample", "dcgan"}, args...)...); r.code != 2 {
			t.Fatalf("sample dcgan %v: exit %d %s", args, r.code, r.stderr)
		}
	}
	// The mean of the run's last two checkpoints, and the score of every checkpoint.
	avg := filepath.Join(out, "avg.gob")
	if r := ganlab(t, "average", "-o", avg, "-last", "2", "-calibration-batches", "2", out); r.code != 0 || !strings.Contains(r.stdout, "the mean of 2 checkpoints (steps 2,3)") {
		t.Fatalf("average: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := ganlab(t, "sample", "dcgan", "-checkpoint", avg, "-n", "3", "-o", filepath.Join(out, "avg.png")); r.code != 0 {
		t.Fatalf("sample the average: exit %d: %s", r.code, r.stderr)
	}
	if r := ganlab(t, "average", "-o", avg); r.code != 2 {
		t.Fatalf("average without checkpoints: exit %d %s", r.code, r.stderr)
	}
	if r := ganlab(t, "eval", "dcgan", "-run", out, "-n", "20"); r.code != 0 || !strings.Contains(r.stdout, "\n3,") {
		t.Fatalf("eval -run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, f := range []string{"score-curve.csv", "score-curve.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	// A linear decay added on resume ends at the new -steps and is kept in the checkpoints; a first
	// step past the last is a one-line usage error.
	if r := ganlab(t, "train", "dcgan", "-steps", "5", "-batch", "8", "-lr-decay-from", "9", "-resume", "-out", out); r.code != 2 || !strings.Contains(errorLine(t, r), "learning-rate decay steps = 9…5") {
		t.Fatalf("-lr-decay-from past -steps: exit %d %s", r.code, r.stderr)
	}
	r = ganlab(t, "train", "dcgan", "-steps", "5", "-batch", "8", "-lr-decay-from", "4", "-checkpoint-every", "1", "-resume", "-out", out)
	if r.code != 0 || !strings.Contains(r.stderr, "linear decay from step 4 to step 5 (to 0.5 of the rates)") {
		t.Fatalf("resume with -lr-decay-from: exit %d\n%s", r.code, r.stderr)
	}
	if info, err := gan.ReadCheckpointInfo(filepath.Join(out, "checkpoints")); err != nil || info.Step != 5 || info.Config.LRDecayFrom != 4 || info.Config.LRDecayTo != 5 || info.Config.LearningRateG != 1e-4 {
		t.Fatalf("checkpoint after the decay: %+v %v", info, err)
	}
	gan1d := t.TempDir()
	if r := ganlab(t, "train", "gan1d", "-steps", "2", "-out", gan1d); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r := ganlab(t, "sample", "dcgan", "-checkpoint", filepath.Join(gan1d, "checkpoints"), "-o", filepath.Join(out, "y.png")); r.code != 1 || !strings.Contains(errorLine(t, r), `is of model "gan1d", not "dcgan"`) {
		t.Fatalf("a gan1d checkpoint as a DCGAN: exit %d %s", r.code, r.stderr)
	}
}

// TestDCGANPaper64OnImageFolder: the paper preset trains on a folder of 64×64 RGB images and the
// sampler rebuilds its architecture from the generator file.
func TestDCGANPaper64OnImageFolder(t *testing.T) {
	dir := t.TempDir()
	for i := range 6 {
		img := image.NewRGBA(image.Rect(0, 0, 70, 64)) // not square: centre-cropped
		for y := range 64 {
			for x := range 70 {
				img.Set(x, y, color.RGBA{uint8(40 * i), uint8(x * 3), uint8(y * 4), 255})
			}
		}
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("face%d.png", i)))
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	out := t.TempDir()
	r := ganlab(t, "train", "dcgan", "-preset", "paper64", "-width", "16", "-dataset", dir, "-steps", "2", "-batch", "2", "-out", out)
	if r.code != 0 {
		t.Fatalf("train paper64: exit %d: %s", r.code, r.stderr)
	}
	r = ganlab(t, "sample", "dcgan", "-checkpoint", out, "-n", "3", "-o", filepath.Join(out, "s.idx"))
	if r.code != 0 || !strings.Contains(r.stdout, "paper preset 64×64×3") {
		t.Fatalf("sample paper64: exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	x, err := datasets.ReadIDXFile(filepath.Join(out, "s.idx"))
	if err != nil || len(x.Dims) != 4 || x.Dims[1] != 64 || x.Dims[3] != 3 {
		t.Fatalf("IDX of RGB samples: %v %v", x, err)
	}
}

// TestDCGANHeadsEval: a paper64 generator trained on the heads (two steps, with the minibatch
// channel and instance noise) is measured by the heads evaluator against training frames: its
// samples are far less varied than real frames, and real frames given as -samples measure like
// real frames.
func TestDCGANHeadsEval(t *testing.T) {
	out := t.TempDir()
	r := ganlab(t, "train", "dcgan", "-preset", "paper64", "-width", "8", "-dataset", "heads", "-heads-n", "8", "-steps", "2", "-batch", "2",
		"-minibatch-std", "-instance-noise", "0.1", "-instance-noise-steps", "2", "-out", out)
	if r.code != 0 {
		t.Fatalf("train paper64 on heads: exit %d: %s", r.code, r.stderr)
	}
	ratio := func(r result, what string) float64 {
		for _, line := range strings.Split(r.stdout, "\n") {
			if strings.HasPrefix(line, what) {
				var v float64
				if _, err := fmt.Sscanf(strings.TrimPrefix(line, what), "%g", &v); err == nil {
					return v
				}
			}
		}
		t.Fatalf("no %q in:\n%s", what, r.stdout)
		return 0
	}
	r = ganlab(t, "eval", "dcgan", "-dataset", "heads", "-checkpoint", out, "-n", "100")
	if r.code != 0 || !strings.Contains(r.stdout, "glasses: yes") || !strings.Contains(r.stdout, "ratios outside 0.70–1.30") {
		t.Fatalf("eval dcgan -dataset heads: exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	if d := ratio(r, "mean distance of two images generated / real: "); d > 0.5 {
		t.Errorf("a generator trained for two steps: pair distance %.2f of real frames'", d)
	}
	real := filepath.Join(out, "real.idx")
	if r := ganlab(t, "sample", "data", "-dataset", "heads", "-n", "100", "-seed", "9", "-o", real); r.code != 0 {
		t.Fatalf("sample data: exit %d: %s", r.code, r.stderr)
	}
	r = ganlab(t, "eval", "dcgan", "-dataset", "heads", "-samples", real, "-n", "100")
	if r.code != 0 {
		t.Fatalf("eval dcgan -dataset heads -samples: exit %d: %s", r.code, r.stderr)
	}
	t.Log(r.stdout)
	if f, d := ratio(r, "Fréchet distance generated / real: "), ratio(r, "mean distance of two images generated / real: "); f < 0.5 || f > 2 || d < 0.9 || d > 1.1 {
		t.Errorf("real frames as samples: Fréchet distance %.2f and pair distance %.2f of the real column's, want ≈ 1", f, d)
	}
}

// TestSampleData: real training images in the generators' formats — MNIST as [N, 28, 28] IDX,
// the same images as datasets.TrainingImages draws, and heads frames as [N, 64, 64, 3].
func TestSampleData(t *testing.T) {
	out := t.TempDir()
	idx := filepath.Join(out, "mnist.idx")
	if r := ganlab(t, "sample", "data", "-n", "7", "-seed", "2", "-o", idx); r.code != 0 || !strings.Contains(r.stdout, "wrote 7 mnist training images") {
		t.Fatalf("sample data: exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	x, err := datasets.ReadIDXFile(idx)
	if err != nil {
		t.Fatal(err)
	}
	want, err := datasets.TrainingImages("mnist", 7, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Dims) != 3 || x.Dims[0] != 7 || x.Dims[1] != 28 || !bytes.Equal(x.Data, want.Pixels) {
		t.Fatalf("IDX of MNIST: dims %v; the same pixels as the training images: %v", x.Dims, bytes.Equal(x.Data, want.Pixels))
	}
	idx = filepath.Join(out, "heads.idx")
	if r := ganlab(t, "sample", "data", "-dataset", "heads", "-n", "3", "-o", idx); r.code != 0 {
		t.Fatalf("sample data -dataset heads: exit %d: %s", r.code, r.stderr)
	}
	if x, err = datasets.ReadIDXFile(idx); err != nil || len(x.Dims) != 4 || x.Dims[0] != 3 || x.Dims[1] != 64 || x.Dims[3] != 3 {
		t.Fatalf("IDX of heads: %v %v", x.Dims, err)
	}
	if r := ganlab(t, "sample", "data", "-dataset", "fashion", "-n", "16", "-o", filepath.Join(out, "f.png")); r.code != 0 {
		t.Fatalf("sample data -dataset fashion: exit %d: %s", r.code, r.stderr)
	}
}

// TestPretrainedSampleAndEval: without -checkpoint, sample and eval use the shipped generator and
// classifier embedded in the binary.
func TestPretrainedSampleAndEval(t *testing.T) {
	out := t.TempDir()
	if r := ganlab(t, "sample", "dcgan", "-n", "4", "-o", filepath.Join(out, "s.png")); r.code != 0 || !strings.Contains(r.stdout, "dcgan-mnist.gob") {
		t.Fatalf("sample from the pretrained generator: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r := ganlab(t, "eval", "dcgan", "-n", "300", "-json", filepath.Join(out, "m.json"))
	if r.code != 0 || !strings.Contains(r.stdout, "classifier score") || !strings.Contains(r.stdout, "real (train)") {
		t.Fatalf("eval: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "m.json")); err != nil {
		t.Fatal(err)
	}
	// The same samples written as IDX (uint8) and scored by -samples: the same score, up to the
	// rounding to 8 bits.
	idx := filepath.Join(out, "s.idx")
	if r := ganlab(t, "sample", "dcgan", "-n", "300", "-o", idx); r.code != 0 {
		t.Fatalf("sample -o idx: exit %d\n%s", r.code, r.stderr)
	}
	fromIDX := ganlab(t, "eval", "dcgan", "-n", "300", "-samples", idx)
	if a, b := firstScore(t, r.stdout), firstScore(t, fromIDX.stdout); fromIDX.code != 0 || math.Abs(a-b) > 0.05 {
		t.Fatalf("eval -samples: exit %d, score %g against %g scored directly\n%s%s", fromIDX.code, b, a, fromIDX.stdout, fromIDX.stderr)
	}
	// Exported with bfloat16 weights: at most 70% of the bytes of a full-precision export of a
	// freshly trained generator, and it still loads and samples. The shipped file is already
	// rounded: exporting it again changes no weight.
	run := filepath.Join(out, "run")
	if r := ganlab(t, "train", "dcgan", "-preset", "paper", "-size", "32", "-width", "16", "-dataset", "mnist", "-steps", "2", "-batch", "4", "-ema", "0.5", "-out", run); r.code != 0 {
		t.Fatalf("train: exit %d\n%s", r.code, r.stderr)
	}
	// -last-step exports the weights of the last step, not their moving average: its samples are
	// those of sample -last-step on the run, and differ from the default export's.
	lastStep := filepath.Join(out, "last-step.gob")
	if r := ganlab(t, "export", "-last-step", "-o", lastStep, filepath.Join(run, "checkpoints")); r.code != 0 {
		t.Fatalf("export -last-step: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	samplesOf := func(name string, args ...string) []byte {
		path := filepath.Join(out, name+".idx")
		if r := ganlab(t, append([]string{"sample", "dcgan", "-n", "8", "-o", path}, args...)...); r.code != 0 {
			t.Fatalf("sample %v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	exported, direct, averaged := samplesOf("exported", "-checkpoint", lastStep), samplesOf("direct", "-checkpoint", filepath.Join(run, "checkpoints"), "-last-step"), samplesOf("averaged", "-checkpoint", run)
	if !bytes.Equal(exported, direct) || bytes.Equal(exported, averaged) {
		t.Errorf("export -last-step: samples equal to sample -last-step's %v, to the moving average's %v; want true, false",
			bytes.Equal(exported, direct), bytes.Equal(exported, averaged))
	}
	// The run's generator.gob holds only the average: -last-step cannot be honoured there.
	if r := ganlab(t, "sample", "dcgan", "-last-step", "-checkpoint", run, "-n", "2", "-o", filepath.Join(out, "x.png")); r.code != 1 || !strings.Contains(errorLine(t, r), "holds only the moving average") {
		t.Errorf("sample -last-step of a generator.gob with only the average: exit %d, %s", r.code, r.stderr)
	}
	full, half := filepath.Join(out, "full.gob"), filepath.Join(out, "half.gob")
	if r := ganlab(t, "export", "-o", full, run); r.code != 0 {
		t.Fatalf("export: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := ganlab(t, "export", "-bfloat16", "-o", half, run); r.code != 0 || !strings.Contains(r.stdout, "rounded to bfloat16") {
		t.Fatalf("export -bfloat16: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	before, after := fileSize(t, full), fileSize(t, half)
	if after > before*7/10 {
		t.Errorf("bfloat16 export is %d bytes, the full-precision one %d: want at most 70%%", after, before)
	}
	shipped, err := pretrained.Path("dcgan-mnist.gob")
	if err != nil {
		t.Fatal(err)
	}
	reexported := filepath.Join(out, "shipped-again.gob")
	if r := ganlab(t, "export", "-bfloat16", "-o", reexported, shipped); r.code != 0 || !strings.Contains(r.stdout, "largest relative change 0)") {
		t.Fatalf("re-export of the shipped (bfloat16) generator: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The shipped generator draws 32×32 (padded MNIST); -crop 28 writes MNIST-sized IDX images.
	cropped := filepath.Join(out, "h.idx")
	if r := ganlab(t, "sample", "dcgan", "-checkpoint", reexported, "-n", "4", "-crop", "28", "-o", cropped); r.code != 0 {
		t.Fatalf("sample from the exported file: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if x, err := datasets.ReadIDXFile(cropped); err != nil {
		t.Fatal(err)
	} else if len(x.Dims) != 3 || x.Dims[0] != 4 || x.Dims[1] != 28 || x.Dims[2] != 28 {
		t.Fatalf("-crop 28: IDX dims %v", x.Dims)
	}
	if r := ganlab(t, "sample", "dcgan", "-n", "2", "-crop", "27", "-o", cropped); r.code != 2 || !strings.Contains(errorLine(t, r), "cannot centre-crop 32×32 images to 27×27") {
		t.Fatalf("-crop 27: exit %d, %s", r.code, r.stderr)
	}
	r = ganlab(t, "eval", "dcgan", "-n", "300", "-truncation", "1.5")
	if r.code != 0 || !strings.Contains(r.stdout, "z truncated at ±1.5") {
		t.Fatalf("eval -truncation: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// firstScore is the generated samples' classifier score in an eval table.
func firstScore(t *testing.T, table string) float64 {
	t.Helper()
	for _, line := range strings.Split(table, "\n") {
		if rest, ok := strings.CutPrefix(line, "classifier score (max 10)"); ok {
			if v, err := strconv.ParseFloat(strings.Fields(rest)[0], 64); err == nil {
				return v
			}
		}
	}
	t.Fatalf("no classifier score in\n%s", table)
	return 0
}

// TestCGANTrainSampleEval: a short conditional run, then class-controlled sampling (a label out
// of range is a usage error, one line), IDX export and the evaluation with the four-case table.
func TestCGANTrainSampleEval(t *testing.T) {
	out := filepath.Join(t.TempDir(), "cgan")
	r := ganlab(t, "train", "cgan", "-arch", "mlp", "-steps", "3", "-batch", "16", "-out", out)
	if r.code != 0 || !strings.Contains(r.stdout, "cgan step=3") {
		t.Fatalf("train cgan: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = ganlab(t, "sample", "cgan", "-checkpoint", out, "-label", "10")
	if r.code != 2 || !strings.Contains(errorLine(t, r), "-label 10: want a class in [0, 10)") {
		t.Fatalf("label out of range: exit %d\n%s", r.code, r.stderr)
	}
	idx := filepath.Join(t.TempDir(), "sevens.idx")
	r = ganlab(t, "sample", "cgan", "-checkpoint", out, "-label", "7", "-n", "5", "-o", idx)
	if r.code != 0 {
		t.Fatalf("sample cgan: exit %d\n%s", r.code, r.stderr)
	}
	x, err := datasets.ReadIDXFile(idx)
	if err != nil || len(x.Dims) != 3 || x.Dims[0] != 5 || x.Dims[1] != 28 {
		t.Fatalf("IDX of 5 samples: %v", err)
	}
	grid := filepath.Join(t.TempDir(), "grid.png")
	if r = ganlab(t, "sample", "cgan", "-checkpoint", out, "-n", "20", "-o", grid); r.code != 0 || !strings.Contains(r.stdout, "a class grid") {
		t.Fatalf("class grid: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = ganlab(t, "eval", "cgan", "-checkpoint", out, "-n", "40")
	for _, want := range []string{"accuracy vs requested label", "worst label's accuracy", "real image, its label"} {
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Fatalf("eval cgan (want %q): exit %d\n%s%s", want, r.code, r.stdout, r.stderr)
		}
	}
	// With -ema the run's generator.gob is the moving average, as its checkpoints' evaluations are.
	ema := filepath.Join(t.TempDir(), "ema")
	if r = ganlab(t, "train", "cgan", "-arch", "mlp", "-steps", "3", "-batch", "16", "-ema", "0.9", "-out", ema); r.code != 0 {
		t.Fatalf("train cgan -ema: exit %d\n%s", r.code, r.stderr)
	}
	if info, err := gan.ReadCheckpointInfo(filepath.Join(ema, "generator.gob")); err != nil || info.Meta[gan.MetaMovingAverage] != "decay 0.9 over 3 generator steps" {
		t.Fatalf("generator.gob of an -ema run: %v, meta %v", err, info.Meta)
	}
	// A DCGAN file is not a CGAN.
	dc := filepath.Join(t.TempDir(), "dc")
	if r = ganlab(t, "train", "dcgan", "-steps", "1", "-batch", "8", "-out", dc); r.code != 0 {
		t.Fatalf("train dcgan: %s", r.stderr)
	}
	r = ganlab(t, "sample", "cgan", "-checkpoint", dc)
	if r.code != 1 || !strings.Contains(errorLine(t, r), "not a CGAN") {
		t.Fatalf("dcgan file as cgan: exit %d\n%s", r.code, r.stderr)
	}
}

// TestAvatarCommands: a few training steps of each kind, the GIF command on the result, and the
// bench line's format.
func TestAvatarCommands(t *testing.T) {
	dir := t.TempDir()
	for _, kind := range []string{"bilayer", "baseline"} {
		r := ganlab(t, "train", "avatar", "-kind", kind, "-steps", "2", "-batch", "2", "-out", filepath.Join(dir, kind))
		if r.code != 0 || !strings.Contains(r.stdout, "avatar "+kind+" step=2") {
			t.Fatalf("train avatar %s: exit %d\n%s%s", kind, r.code, r.stdout, r.stderr)
		}
	}
	r := ganlab(t, "train", "avatar", "-steps", "3", "-out", filepath.Join(dir, "bilayer"))
	if r.code != 2 || !strings.Contains(errorLine(t, r), "resume the run (-resume)") {
		t.Fatalf("rerun without -resume: exit %d\n%s", r.code, r.stderr)
	}
	gif := filepath.Join(dir, "a.gif")
	r = ganlab(t, "avatar", "-model", filepath.Join(dir, "bilayer", "model.gob"), "-frames", "4", "-enhance", "2", "-o", gif)
	if r.code != 0 || !strings.Contains(r.stdout, "4 frames") {
		t.Fatalf("avatar: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if st, err := os.Stat(gif); err != nil || st.Size() < 500 {
		t.Fatalf("gif: %v", err)
	}
	r = ganlab(t, "avatar", "-model", filepath.Join(dir, "bilayer", "model.gob"), "-source", filepath.Join(dir, "missing.png"))
	if r.code != 1 || !strings.Contains(errorLine(t, r), "missing.png") {
		t.Fatalf("missing source: exit %d\n%s", r.code, r.stderr)
	}
	r = ganlab(t, "avatar", "-model", filepath.Join(dir, "baseline", "model.gob"))
	if r.code != 1 || !strings.Contains(errorLine(t, r), "is a baseline model, not bilayer") {
		t.Fatalf("kind mismatch: exit %d\n%s", r.code, r.stderr)
	}
	r = ganlab(t, "bench", "avatar", "-model", filepath.Join(dir, "bilayer", "model.gob"), "-baseline", filepath.Join(dir, "baseline", "model.gob"), "-identities", "2", "-frames", "2")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	last := lines[len(lines)-1]
	if r.code != 0 || !strings.HasPrefix(last, "avatar init_ms=") || !strings.Contains(last, "baseline_ssim=") || !strings.Contains(last, "enhancer_steps=10") {
		t.Fatalf("bench avatar: exit %d, last line %q\n%s", r.code, last, r.stderr)
	}
}

// TestAvatarInterruptAndResume: SIGINT during avatar training saves the full checkpoint and
// exits 0; -resume continues from it.
func TestAvatarInterruptAndResume(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(ganlabBin, "train", "avatar", "-steps", "100000", "-batch", "2", "-out", dir)
	cmd.Env = append(os.Environ(), "GOMLX_BACKEND=go")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(6 * time.Second)
	_ = cmd.Process.Signal(syscall.SIGINT)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("after SIGINT: %v\n%s", err, stderr.String())
	}
	var step int
	if _, err := fmt.Sscanf(stderr.String()[strings.Index(stderr.String(), "interrupted at step"):], "interrupted at step %d", &step); err != nil {
		t.Fatalf("no interruption message: %v\n%s", err, stderr.String())
	}
	// A flag that contradicts the checkpoint is refused; the flags left out come from it.
	if r := ganlab(t, "train", "avatar", "-steps", fmt.Sprint(step+1), "-batch", "3", "-resume", "-out", dir); r.code != 2 || !strings.Contains(errorLine(t, r), "-batch 3 contradicts the run being resumed, which has -batch 2") {
		t.Fatalf("contradicting -batch: exit %d\n%s", r.code, r.stderr)
	}
	r := ganlab(t, "train", "avatar", "-steps", fmt.Sprint(step+1), "-resume", "-out", dir)
	if r.code != 0 || !strings.Contains(r.stderr, fmt.Sprintf("resumed from %s (step %d)", filepath.Join(dir, "checkpoints", fmt.Sprintf("ckpt-%08d.gob", step)), step)) || !strings.Contains(r.stdout, fmt.Sprintf("step=%d", step+1)) {
		t.Fatalf("resume: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// The first layout (one checkpoint.gob beside the outputs) gets a message saying how to move it.
	old := t.TempDir()
	if err := os.WriteFile(filepath.Join(old, "checkpoint.gob"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := ganlab(t, "train", "avatar", "-resume", "-out", old); r.code != 1 || !strings.Contains(errorLine(t, r), "first avatar layout") {
		t.Fatalf("old layout: exit %d\n%s", r.code, r.stderr)
	}
}

// TestDCGANPaperOnPaddedMNIST: the paper's architecture at 32×32 trains on MNIST with a 2-pixel
// zero border (the shipped generator's recipe), and eval crops its samples back to the
// classifier's 28×28.
func TestDCGANPaperOnPaddedMNIST(t *testing.T) {
	out := t.TempDir()
	r := ganlab(t, "train", "dcgan", "-preset", "paper", "-size", "32", "-width", "8", "-dataset", "mnist", "-steps", "1", "-batch", "4", "-out", out)
	if r.code != 0 || !strings.Contains(r.stderr, "padding the 28×28 images with a 2-pixel zero border to 32×32") {
		t.Fatalf("train: exit %d\n%s", r.code, r.stderr)
	}
	r = ganlab(t, "eval", "dcgan", "-checkpoint", out, "-n", "20")
	if r.code != 0 || !strings.Contains(r.stdout, "paper preset 32×32×1") || !strings.Contains(r.stdout, "classifier score") {
		t.Fatalf("eval of 32×32 samples: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// TestRunDirectoryFiguresAndCtrlC: a second run on a directory in use is refused naming the
// holder's PID; a resumed run draws the same figures as an uninterrupted one; a second Ctrl-C
// ends a run at once even in the middle of a long step.
func TestRunDirectoryFiguresAndCtrlC(t *testing.T) {
	busy := t.TempDir()
	first := exec.Command(ganlabBin, "train", "gan1d", "-steps", "1000000", "-out", busy)
	first.Env = append(os.Environ(), "GOMLX_BACKEND=go")
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	for range 100 {
		if b, _ := os.ReadFile(filepath.Join(busy, ".lock")); len(b) > 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	r := ganlab(t, "train", "gan1d", "-steps", "10", "-out", busy)
	_ = first.Process.Signal(syscall.SIGINT)
	_ = first.Wait()
	if r.code != 2 || !strings.Contains(errorLine(t, r), fmt.Sprintf("in use by another run (PID %d)", first.Process.Pid)) {
		t.Fatalf("second run on a busy directory: exit %d\n%s", r.code, r.stderr)
	}

	for _, c := range []struct{ model, figure string }{{"gan1d", "figure1.png"}, {"gan2d", "modes.png"}} {
		straight, resumed := t.TempDir(), t.TempDir()
		for _, args := range [][]string{{"-steps", "40", "-out", straight}, {"-steps", "20", "-out", resumed}, {"-steps", "40", "-resume", "-out", resumed}} {
			if r := ganlab(t, append([]string{"train", c.model, "-checkpoint-every", "10"}, args...)...); r.code != 0 {
				t.Fatalf("%s %v: exit %d\n%s", c.model, args, r.code, r.stderr)
			}
		}
		a, errA := os.ReadFile(filepath.Join(straight, c.figure))
		b, errB := os.ReadFile(filepath.Join(resumed, c.figure))
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			t.Errorf("%s: the resumed run's %s differs from the uninterrupted run's (%v %v)", c.model, c.figure, errA, errB)
		}
	}

	slow := exec.Command(ganlabBin, "train", "gan1d", "-k", "1000", "-batch", "20000", "-out", t.TempDir())
	slow.Env = append(os.Environ(), "GOMLX_BACKEND=go")
	var stderr bytes.Buffer
	slow.Stderr = &stderr
	if err := slow.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * time.Second)
	_ = slow.Process.Signal(syscall.SIGINT)
	time.Sleep(500 * time.Millisecond)
	start := time.Now()
	_ = slow.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- slow.Wait() }()
	select {
	case <-done:
		if !strings.Contains(stderr.String(), "interrupt again to quit at once") {
			t.Errorf("no word on the first interrupt:\n%s", stderr.String())
		}
	case <-time.After(5 * time.Second):
		_ = slow.Process.Kill()
		t.Fatalf("a second SIGINT did not end the run (waited %s)", time.Since(start))
	}
}

// TestResumeOfCheckpointsWithoutRecordedFlags: a checkpoint written before flags were recorded
// is reconciled through its training configuration: a contradicting -batch is refused, the
// flags left out take its values.
func TestResumeOfCheckpointsWithoutRecordedFlags(t *testing.T) {
	cfg := gan.Toy1DConfig()
	cfg.BatchSize, cfg.Seed = 96, 5
	recorded := recordedFlags(gan.CheckpointInfo{Config: cfg})
	fs := flag.NewFlagSet("train gan1d", flag.ContinueOnError)
	f := registerGANFlags(fs, "gan1d", gan.Toy1DConfig(), 10)
	if err := fs.Parse([]string{"-batch", "64"}); err != nil {
		t.Fatal(err)
	}
	if err := cli.ApplyRecorded(fs, recorded, "old.gob"); err == nil || !strings.Contains(err.Error(), "-batch 64 contradicts the run being resumed, which has -batch 96") {
		t.Fatalf("contradicting -batch: %v", err)
	}
	fresh := flag.NewFlagSet("train gan1d", flag.ContinueOnError)
	f = registerGANFlags(fresh, "gan1d", gan.Toy1DConfig(), 10)
	if err := cli.ApplyRecorded(fresh, recorded, "old.gob"); err != nil || f.cfg.BatchSize != 96 || f.cfg.Seed != 5 || f.cfg.K != cfg.K {
		t.Fatalf("flags left out: %v, %+v", err, f.cfg)
	}
}
