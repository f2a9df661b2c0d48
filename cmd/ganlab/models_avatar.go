package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ganlab/ganlab/avatar"
	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/internal/cli"
	"github.com/ganlab/ganlab/plotting"
)

func init() {
	trainers["avatar"] = cli.Target{Summary: "bi-layer avatar (Zakharov et al. 2020) or its one-layer baseline (-kind) on procedural talking heads", Run: trainAvatar}
	benches["avatar"] = cli.Target{Summary: "one-shot quality (PSNR, SSIM, CSIM) and init / per-frame latency of the bi-layer avatar against the baseline", Run: benchAvatar}
}

func avatarCommand() cli.Command {
	return cli.Command{Name: "avatar", Summary: "animate a one-shot avatar: a source face driven by a pose sequence, written as a GIF", Run: runAvatar}
}

func trainAvatar(fs *flag.FlagSet, args []string) error {
	kind := fs.String("kind", "bilayer", "bilayer or baseline")
	f := &ganFlags{fs: fs}
	fs.IntVar(&f.steps, "steps", 3000, "training steps (in total, counting a resumed run's)")
	fs.StringVar(&f.out, "out", "", "output directory (default out/avatar-<kind>): checkpoints/ (full, for -resume), model.gob (generator only), history.json")
	fs.BoolVar(&f.resume, "resume", false, "continue from the newest checkpoint in -out/checkpoints")
	fs.IntVar(&f.checkpointEvery, "checkpoint-every", 250, "save a checkpoint every N steps (and at the end or on interrupt)")
	fs.IntVar(&f.keep, "keep", 3, "checkpoints to keep")
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
	if f.steps <= 0 || f.checkpointEvery <= 0 {
		return cli.Usagef("-steps and -checkpoint-every must be > 0")
	}
	if f.out == "" {
		f.out = filepath.Join("out", "avatar-"+*kind)
	}
	if f.resume {
		var err error
		if cfg, err = resumedAvatarConfig(fs, f.out, cfg); err != nil {
			return err
		}
	}
	b, err := newBackend()
	if err != nil {
		return err
	}
	m, err := avatar.New(b, cfg)
	if err != nil {
		return err
	}
	heads := datasets.DefaultHeads()
	heads.Size = cfg.Size
	interrupted, err := f.train(&avatar.Trainer{Model: m, Heads: heads}, "train avatar "+*kind, nil, nil)
	if err != nil || interrupted {
		return err
	}
	if err := m.Save(filepath.Join(f.out, "model.gob"), false); err != nil {
		return err
	}
	hist, _ := json.MarshalIndent(m.History, "", " ")
	if err := os.WriteFile(filepath.Join(f.out, "history.json"), hist, 0o644); err != nil {
		return err
	}
	fmt.Printf("avatar %s step=%d model=%s\n", *kind, m.Step(), filepath.Join(f.out, "model.gob"))
	return nil
}

// resumedAvatarConfig returns the configuration of the run to resume in out, refusing a flag
// given on the command line that contradicts it.
func resumedAvatarConfig(fs *flag.FlagSet, out string, given avatar.Config) (avatar.Config, error) {
	dir := gan.CheckpointDir(out)
	latest, err := gan.LatestCheckpoint(dir)
	if err != nil || latest == "" {
		if old := filepath.Join(out, "checkpoint.gob"); fileExists(old) {
			return given, fmt.Errorf("%s is a checkpoint of ganlab's first avatar layout (one checkpoint.gob); checkpoints now live in checkpoints/: mkdir %s && mv %s %s, then -resume again",
				old, dir, old, filepath.Join(dir, gan.CheckpointName(0)))
		}
		return given, err // Run reports the missing checkpoint
	}
	c, err := avatar.ReadConfig(latest)
	if err != nil {
		return given, err
	}
	var contradiction error
	fs.Visit(func(fl *flag.Flag) {
		same := map[string]bool{"kind": given.Kind == c.Kind, "size": given.Size == c.Size, "batch": given.BatchSize == c.BatchSize,
			"width": given.Width == c.Width, "seed": given.Seed == c.Seed}
		if ok, known := same[fl.Name]; known && !ok && contradiction == nil {
			contradiction = cli.Usagef("-%s %s differs from the resumed run's configuration (%s), which cannot change: drop the flag, or start a new run with another -out", fl.Name, fl.Value, latest)
		}
	})
	return c, contradiction
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// loadAvatarModel reads path, or the shipped model of kind.
func loadAvatarModel(b backendT, path string, kind avatar.Kind) (*avatar.Model, error) {
	path, err := modelFile(path, shippedAvatar(kind))
	if err != nil {
		return nil, err
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
	img, lmk, driver, err := avatar.ReadSource(*source, m.Config.Size)
	if err != nil {
		return specError(err)
	}
	seq, err := avatar.DrivingSequence(*drive, *frames, m.Config.Size, driver)
	if err != nil {
		return specError(err)
	}
	av, err := m.Init(img, lmk, &avatar.InitOptions{EnhancerSteps: *enhance})
	if err != nil {
		return err
	}
	rendered, err := av.Render(seq...)
	if err != nil {
		return err
	}
	gifFrames, err := avatar.Images(rendered, m.Config.Size)
	if err != nil {
		return err
	}
	if err := plotting.SaveGIF(*out, gifFrames, 8); err != nil {
		return err
	}
	fmt.Printf("avatar: init %.1f ms, %d frames → %s\n", float64(av.InitTime.Microseconds())/1000, len(rendered), *out)
	return nil
}

// specError makes a malformed -source or -drive a usage mistake.
func specError(err error) error {
	if errors.Is(err, avatar.ErrSpec) {
		return cli.Usagef("%v", err)
	}
	return err
}
