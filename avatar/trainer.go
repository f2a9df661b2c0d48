package avatar

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gomlx/compute"

	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/gan"
)

// Trainer trains a Model on the training identities of Heads. It is a gan.Trainable: gan.Run
// drives it with checkpoints, resume, interrupts and fault recovery, as it drives the GANs.
type Trainer struct {
	*Model
	Heads datasets.Heads
}

// NewTrainer makes an untrained model of c and its Trainer on the default procedural heads at
// c's size.
func NewTrainer(backend compute.Backend, c Config) (*Trainer, error) {
	m, err := New(backend, c)
	if err != nil {
		return nil, err
	}
	heads := datasets.DefaultHeads()
	heads.Size = c.Size
	return &Trainer{Model: m, Heads: heads}, nil
}

// SaveOutputs writes what a finished run leaves beside its checkpoints: dir/model.gob (the
// generator modules, the shipped format) and dir/history.json. It returns model.gob's path.
func (m *Model) SaveOutputs(dir string) (string, error) {
	path := filepath.Join(dir, "model.gob")
	if err := m.Save(path, false); err != nil {
		return "", err
	}
	hist, err := json.MarshalIndent(m.History, "", " ")
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "history.json"), hist, 0o644)
	}
	return path, err
}

// TrainOneStep runs TrainStep and summarises the step's losses.
func (t *Trainer) TrainOneStep() (string, error) {
	r, err := t.TrainStep(t.Heads)
	if err != nil {
		return "", err
	}
	line := fmt.Sprintf("L1 %.4f adv %.3f fm %.3f loss_D %.3f", r.L1, r.Adversarial, r.FeatureMatching, r.LossD)
	if t.Config.Kind == BiLayer {
		line += fmt.Sprintf(" lf %.4f |∇ω| %.3f", r.LowFrequency, r.FlowRoughness)
	}
	return line, nil
}

// SaveCheckpoint writes the full model (discriminator and optimizer moments included). Batches
// depend only on the seed and the step, so the step is the whole data position.
func (t *Trainer) SaveCheckpoint(path string) error { return t.Save(path, true) }

// LoadCheckpoint restores a full model written by SaveCheckpoint; its configuration must be the
// trainer's.
func (t *Trainer) LoadCheckpoint(path string) error {
	f, err := readFile(path)
	if err != nil {
		return err
	}
	if f.Config != t.Config {
		return fmt.Errorf("%s holds a model configured as %+v, not %+v", path, f.Config, t.Config)
	}
	return t.restore(path, f)
}

// ResumedConfig returns the configuration of the newest checkpoint of the run in dir (gan.Run's
// layout, dir/checkpoints/), or ok = false when there is none. A run directory of ganlab's first
// avatar layout (one dir/checkpoint.gob) is an error that says how to move the file.
func ResumedConfig(dir string) (c Config, ok bool, err error) {
	ckpts := gan.CheckpointDir(dir)
	latest, err := gan.LatestCheckpoint(ckpts)
	if err != nil || latest == "" {
		old := filepath.Join(dir, "checkpoint.gob")
		if _, statErr := os.Stat(old); err == nil && statErr == nil {
			err = fmt.Errorf("%s is a checkpoint of ganlab's first avatar layout (one checkpoint.gob); checkpoints now live in checkpoints/: mkdir %s && mv %s %s, then resume again",
				old, ckpts, old, filepath.Join(ckpts, gan.CheckpointName(0)))
		}
		return c, false, err
	}
	f, err := readFile(latest)
	if err != nil {
		return c, false, err
	}
	return f.Config, true, nil
}
