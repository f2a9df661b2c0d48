package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/ganlab/ganlab/avatar"
	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/internal/cli"
	"github.com/ganlab/ganlab/internal/progress"
	"github.com/ganlab/ganlab/plotting"
	"github.com/ganlab/ganlab/pretrained"
)

func init() {
	trainers["avatar"] = target{summary: "bi-layer avatar (Zakharov et al. 2020) or its one-layer baseline (-kind) on procedural talking heads", run: trainAvatar}
	benches["avatar"] = target{summary: "one-shot quality (PSNR, SSIM, CSIM) and init / per-frame latency of the bi-layer avatar against the baseline", run: benchAvatar}
}

func avatarCommand() cli.Command {
	return cli.Command{Name: "avatar", Summary: "animate a one-shot avatar: a source face driven by a pose sequence, written as a GIF", Run: runAvatar}
}

func trainAvatar(fs *flag.FlagSet, args []string) error {
	kind := fs.String("kind", "bilayer", "bilayer or baseline")
	steps := fs.Int("steps", 3000, "training steps (in total, counting a resumed run's)")
	out := fs.String("out", "", "output directory (default out/avatar-<kind>): checkpoint.gob (full, for -resume), model.gob (generator only), history.json, samples.png")
	resume := fs.Bool("resume", false, "continue from -out/checkpoint.gob")
	every := fs.Int("checkpoint-every", 250, "save the checkpoint every N steps (and at the end or on interrupt)")
	size := fs.Int("size", 64, "image size (64 or 128)")
	batch := fs.Int("batch", 0, "batch size (default: the kind's)")
	width := fs.Int("width", 0, "channels of the per-frame generator's first layer (default: the kind's)")
	seed := fs.Uint64("seed", 1, "random seed (weights, identities and poses of each batch)")
	newBackend := cli.BackendFlag(fs)
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	cfg := avatar.DefaultConfig(avatar.Kind(*kind))
	cfg.Size, cfg.Seed = *size, *seed
	if *batch > 0 {
		cfg.BatchSize = *batch
	}
	if *width > 0 {
		cfg.Width = *width
	}
	if err := cfg.Validate(); err != nil {
		return cli.Usagef("%v", err)
	}
	if *steps <= 0 || *every <= 0 {
		return cli.Usagef("-steps and -checkpoint-every must be > 0")
	}
	if *out == "" {
		*out = filepath.Join("out", "avatar-"+*kind)
	}
	heads := datasets.DefaultHeads()
	heads.Size = cfg.Size
	b, err := newBackend()
	if err != nil {
		return err
	}
	ckpt := filepath.Join(*out, "checkpoint.gob")
	var m *avatar.Model
	if *resume {
		if m, err = avatar.Load(b, ckpt); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "resumed from %s (step %d)\n", ckpt, m.Step())
	} else {
		if _, err := os.Stat(ckpt); err == nil {
			return cli.Usagef("%s exists: pass -resume to continue, or choose another -out", ckpt)
		}
		if m, err = avatar.New(b, cfg); err != nil {
			return err
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	bar := progress.New("train avatar "+*kind, *steps)
	bar.Resume(m.Step())
	err = m.Train(ctx, heads, *steps, func(r avatar.StepRecord) error {
		bar.Set(r.Step, fmt.Sprintf("L1 %.4f adv %.3f fm %.3f loss_D %.3f", r.L1, r.Adversarial, r.FeatureMatching, r.LossD))
		if r.Step%*every == 0 {
			return m.Save(ckpt, true)
		}
		return nil
	})
	interrupted := errors.Is(err, context.Canceled)
	if err != nil && !interrupted {
		bar.Finish("failed")
		return err
	}
	if err := m.Save(ckpt, true); err != nil {
		return err
	}
	if interrupted {
		bar.Finish("interrupted")
		fmt.Fprintf(os.Stderr, "interrupted at step %d: saved %s; continue with -resume\n", m.Step(), ckpt)
		return nil
	}
	bar.Finish("done")
	if err := m.Save(filepath.Join(*out, "model.gob"), false); err != nil {
		return err
	}
	hist, _ := json.MarshalIndent(m.History, "", " ")
	if err := os.WriteFile(filepath.Join(*out, "history.json"), hist, 0o644); err != nil {
		return err
	}
	fmt.Printf("avatar %s step=%d model=%s\n", *kind, m.Step(), filepath.Join(*out, "model.gob"))
	return nil
}

// loadAvatarModel reads path, or the shipped model of kind.
func loadAvatarModel(b backendT, path string, kind avatar.Kind) (*avatar.Model, error) {
	if path == "" {
		var err error
		if path, err = pretrained.Path("avatar-" + string(kind) + ".gob"); err != nil {
			return nil, err
		}
	}
	m, err := avatar.Load(b, path)
	if err != nil {
		return nil, err
	}
	if m.Config.Kind != kind {
		return nil, fmt.Errorf("%s is a %s model, not %s", path, m.Config.Kind, kind)
	}
	return m, nil
}

func benchAvatar(fs *flag.FlagSet, args []string) error {
	model := fs.String("model", "", "bi-layer model file (default: the shipped one)")
	baseline := fs.String("baseline", "", "baseline model file (default: the shipped one)")
	frames := fs.Int("frames", 8, "target frames per held-out identity")
	ids := fs.Int("identities", 50, "held-out identities (at most 50)")
	jsonOut := fs.String("json", "", "also write both models' metrics as JSON to this file")
	newBackend := cli.BackendFlag(fs)
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *frames <= 0 || *ids <= 0 || *ids > 50 {
		return cli.Usagef("-frames must be > 0 and -identities in 1…50")
	}
	b, err := newBackend()
	if err != nil {
		return err
	}
	bi, err := loadAvatarModel(b, *model, avatar.BiLayer)
	if err != nil {
		return err
	}
	base, err := loadAvatarModel(b, *baseline, avatar.Baseline)
	if err != nil {
		return err
	}
	heads := datasets.DefaultHeads()
	heads.Size = bi.Config.Size
	pairs := avatar.HeldOutPairs(heads, *frames, 1)[:*ids]
	// Warm up both (graph compilation is not per-frame cost).
	if _, err := avatar.Evaluate(bi, bi, heads, pairs[:1]); err != nil {
		return err
	}
	if _, err := avatar.Evaluate(base, bi, heads, pairs[:1]); err != nil {
		return err
	}
	mb, err := avatar.Evaluate(bi, bi, heads, pairs)
	if err != nil {
		return err
	}
	mbase, err := avatar.Evaluate(base, bi, heads, pairs)
	if err != nil {
		return err
	}
	avatar.WriteTable(os.Stdout, mb, mbase)
	if *jsonOut != "" {
		data, _ := json.MarshalIndent([]avatar.Metrics{mb, mbase}, "", " ")
		if err := os.WriteFile(*jsonOut, data, 0o644); err != nil {
			return err
		}
	}
	fmt.Println(avatar.BenchLine(mb, mbase))
	return nil
}

// parseSource reads -source: "heads:ID[:yaw]" (a frame of the procedural population, neutral
// pose) or a PNG whose landmarks are in a JSON file beside it (same name, .json).
func parseSource(spec string, size int) (img []float32, lmk [][2]float64, err error) {
	heads := datasets.DefaultHeads()
	heads.Size = size
	if rest, ok := strings.CutPrefix(spec, "heads:"); ok {
		id, err := strconv.Atoi(rest)
		if err != nil || id < 0 {
			return nil, nil, cli.Usagef("-source %q: want heads:<identity number ≥ 0>", spec)
		}
		img, lmk, _ = heads.Frame(id, datasets.HeadPose{})
		return img, lmk, nil
	}
	rgba, err := datasets.LoadImageFile(spec, size)
	if err != nil {
		return nil, nil, err
	}
	lmPath := strings.TrimSuffix(spec, filepath.Ext(spec)) + ".json"
	data, err := os.ReadFile(lmPath)
	if err != nil {
		return nil, nil, fmt.Errorf("-source %s: its landmarks: %w (write them as a JSON list of %d [x, y] pairs)", spec, err, datasets.NumHeadLandmarks)
	}
	if err := json.Unmarshal(data, &lmk); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", lmPath, err)
	}
	img = make([]float32, 0, size*size*3)
	for y := range size {
		for x := range size {
			c := rgba.RGBAAt(x, y)
			img = append(img, float32(c.R)/255, float32(c.G)/255, float32(c.B)/255)
		}
	}
	return img, lmk, nil
}

// drivingLandmarks reads -drive: "talk[:SEED]" (a talking sequence of the procedural
// generator, applied to the driving identity's face) or a JSON file of landmark sets.
func drivingLandmarks(spec string, frames, size, driver int) ([][][2]float64, error) {
	heads := datasets.DefaultHeads()
	heads.Size = size
	if rest, ok := strings.CutPrefix(spec, "talk"); ok {
		seed := uint64(1)
		if rest != "" {
			s, err := strconv.ParseUint(strings.TrimPrefix(rest, ":"), 10, 64)
			if err != nil {
				return nil, cli.Usagef("-drive %q: want talk or talk:<seed>", spec)
			}
			seed = s
		}
		var out [][][2]float64
		for _, p := range datasets.TalkingSequence(frames, seed) {
			out = append(out, datasets.HeadLandmarks(heads.Identity(driver), p, size))
		}
		return out, nil
	}
	data, err := os.ReadFile(spec)
	if err != nil {
		return nil, err
	}
	var seq [][][2]float64
	if err := json.Unmarshal(data, &seq); err != nil {
		return nil, fmt.Errorf("-drive %s: want a JSON list of landmark sets: %w", spec, err)
	}
	if len(seq) == 0 {
		return nil, fmt.Errorf("-drive %s: no frames", spec)
	}
	return seq, nil
}

func runAvatar(fs *flag.FlagSet, args []string) error {
	modelPath := fs.String("model", "", "avatar model file (default: the shipped bi-layer model)")
	kind := fs.String("kind", "bilayer", "which shipped model without -model: bilayer or baseline")
	source := fs.String("source", "heads:460", "the face: heads:<id> (the procedural population; 400… are held out) or a PNG with its landmarks in a .json beside it")
	drive := fs.String("drive", "talk", "the motion: talk[:seed] (a procedural talking sequence) or a JSON file of landmark sets")
	frames := fs.Int("frames", 48, "frames of a talk sequence")
	out := fs.String("o", "avatar.gif", "output GIF")
	enhance := fs.Int("enhance", 0, "texture enhancer steps at initialisation (bi-layer)")
	newBackend := cli.BackendFlag(fs)
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *frames <= 0 || *enhance < 0 {
		return cli.Usagef("-frames must be > 0 and -enhance ≥ 0")
	}
	if filepath.Ext(*out) != ".gif" {
		return cli.Usagef("-o %s: want a .gif file name", *out)
	}
	b, err := newBackend()
	if err != nil {
		return err
	}
	m, err := loadAvatarModel(b, *modelPath, avatar.Kind(*kind))
	if err != nil {
		return err
	}
	img, lmk, err := parseSource(*source, m.Config.Size)
	if err != nil {
		return err
	}
	driver := 0
	if id, ok := strings.CutPrefix(*source, "heads:"); ok {
		driver, _ = strconv.Atoi(id)
	}
	seq, err := drivingLandmarks(*drive, *frames, m.Config.Size, driver)
	if err != nil {
		return err
	}
	av, err := m.Init(img, lmk, &avatar.InitOptions{EnhancerSteps: *enhance})
	if err != nil {
		return err
	}
	rendered, err := av.Render(seq...)
	if err != nil {
		return err
	}
	var gifFrames []image.Image
	s := m.Config.Size
	for _, r := range rendered {
		ims, err := plotting.FloatImages(scaleToSigned(r), 1, s, s, 3)
		if err != nil {
			return err
		}
		g, err := plotting.ImageGrid(ims, 1, 0, 3)
		if err != nil {
			return err
		}
		gifFrames = append(gifFrames, g)
	}
	if err := plotting.SaveGIF(*out, gifFrames, 8); err != nil {
		return err
	}
	fmt.Printf("avatar: init %.1f ms, %d frames → %s\n", float64(av.InitTime.Microseconds())/1000, len(rendered), *out)
	return nil
}

// scaleToSigned maps [0, 1] images to the [−1, 1] convention of plotting.FloatImages.
func scaleToSigned(img []float32) []float32 {
	out := make([]float32, len(img))
	for i, v := range img {
		out[i] = 2*v - 1
	}
	return out
}
