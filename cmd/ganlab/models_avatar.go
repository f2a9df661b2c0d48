package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gomlx/compute"

	"github.com/ganlab/ganlab/avatar"
	"github.com/ganlab/ganlab/internal/cli"
	"github.com/ganlab/ganlab/internal/progress"
	"github.com/ganlab/ganlab/plotting"
)

func init() {
	trainers["avatar"] = cli.Target{Summary: "bi-layer avatar (Zakharov et al. 2020) or its one-layer baseline (-kind) on procedural talking heads", Run: trainAvatar}
	benches["avatar"] = cli.Target{Summary: "one-shot quality (PSNR, SSIM, CSIM) and init / per-frame latency of the bi-layer avatar against the baseline", Run: benchAvatar}
}

func trainAvatar(fs *flag.FlagSet, args []string) error {
	kind := fs.String("kind", "bilayer", "bilayer or baseline")
	f := registerRunFlags(fs, "", 3000, 250) // -out defaults to out/avatar-<kind>
	size := fs.Int("size", 64, "image size (64 or 128)")
	batch := fs.Int("batch", 0, "batch size (default: the kind's)")
	width := fs.Int("width", 0, "channels of the per-frame generator's first layer (default: the kind's)")
	seed := fs.Uint64("seed", 1, "random seed (weights, identities and poses of each batch)")
	newBackend := cli.BackendFlag(fs)
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if f.out == "" {
		f.out = filepath.Join("out", "avatar-"+*kind)
	}
	if f.resume {
		c, ok, err := avatar.ResumedConfig(f.out)
		if err == nil && ok {
			err = cli.ApplyRecorded(fs, c.Flags(), "the newest checkpoint in "+f.out)
		}
		if err != nil {
			return err
		}
	}
	cfg, err := avatar.ConfigFor(avatar.Kind(*kind), *size, *batch, *width, *seed)
	if err != nil {
		return cli.Usagef("%v", err)
	}
	if err := f.check(); err != nil {
		return err
	}
	b, err := newBackend()
	if err != nil {
		return err
	}
	tr, err := avatar.NewTrainer(b, cfg)
	if err != nil {
		return err
	}
	interrupted, err := f.train(tr, "train avatar "+*kind, nil, nil)
	if err != nil || interrupted {
		return err
	}
	path, err := tr.SaveOutputs(f.out)
	if err == nil {
		fmt.Printf("avatar %s step=%d model=%s\n", *kind, tr.Step(), path)
	}
	return err
}

// loadAvatarModel reads path, or the shipped model of kind.
func loadAvatarModel(b compute.Backend, path string, kind avatar.Kind) (*avatar.Model, error) {
	path, err := modelFile(path, shippedAvatar(kind))
	if err != nil {
		return nil, err
	}
	return avatar.LoadKind(b, path, kind)
}

func benchAvatar(fs *flag.FlagSet, args []string) error {
	model := fs.String("model", "", "bi-layer model file (default: the shipped one)")
	baseline := fs.String("baseline", "", "baseline model file (default: the shipped one)")
	judge := fs.String("judge", "", "identity network for csim_same/csim_other (default: the shipped classifier-heads-identity.gob)")
	frames := fs.Int("frames", 8, "target frames per held-out identity")
	ids := fs.Int("identities", 50, "held-out identities (at most 50)")
	jsonOut := fs.String("json", "", "also write both models' metrics as JSON to this file")
	enhance := fs.Int("enhance", avatar.DefaultEnhancerSteps, "texture enhancer steps at each bi-layer avatar's initialisation (0: none)")
	newBackend := cli.BackendFlag(fs)
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *frames <= 0 || *ids < 2 || *ids > 50 || *enhance < 0 {
		return cli.Usagef("-frames must be > 0, -identities in 2…50 and -enhance ≥ 0")
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
	identity, err := loadClassifier(b, *judge, "heads-identity")
	if err != nil {
		return err
	}
	bi.Progress, base.Progress = progress.Reporter("bench bilayer"), progress.Reporter("bench baseline")
	opts := &avatar.InitOptions{EnhancerSteps: *enhance}
	mb, mbase, err := avatar.Compare(bi, base, identity, *ids, *frames, opts)
	if err != nil {
		return err
	}
	avatar.WriteTable(os.Stdout, mb, mbase)
	fmt.Println(avatar.BenchLine(mb, mbase))
	return cli.WriteJSON(*jsonOut, []avatar.Metrics{mb, mbase})
}

func runAvatar(fs *flag.FlagSet, args []string) error {
	modelPath := fs.String("model", "", "avatar model file (default: the shipped bi-layer model)")
	kind := fs.String("kind", "bilayer", "which shipped model without -model: bilayer or baseline")
	source := fs.String("source", "heads:460", "the face: heads:<id> (the procedural population; 400… are held out) or a PNG with its landmarks in a .json beside it")
	drive := fs.String("drive", "talk", "the motion: talk[:seed] (a procedural talking sequence) or a JSON file of landmark sets")
	frames := fs.Int("frames", 48, "frames of a talk sequence")
	out := fs.String("o", "avatar.gif", "output GIF")
	enhance := fs.Int("enhance", avatar.DefaultEnhancerSteps, "texture enhancer steps at initialisation (bi-layer; 0: none)")
	newBackend := cli.BackendFlag(fs)
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *frames <= 0 || *enhance < 0 || (*kind != string(avatar.BiLayer) && *kind != string(avatar.Baseline)) {
		return cli.Usagef("-frames must be > 0, -enhance ≥ 0 and -kind bilayer or baseline")
	}
	if err := cli.CheckMemory("-frames", float64(*frames)*128*128*3*4*8); err != nil {
		return err
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
	gifFrames, av, err := avatar.Animate(m, *source, *drive, *frames, *enhance)
	if errors.Is(err, avatar.ErrSpec) {
		return cli.Usagef("%v", err)
	} else if err != nil {
		return err
	}
	if err := plotting.SaveGIF(*out, gifFrames, 8); err != nil {
		return err
	}
	fmt.Printf("avatar: init %.1f ms, %d frames (source left, avatar right) → %s\n", float64(av.InitTime.Microseconds())/1000, len(gifFrames), *out)
	return nil
}
