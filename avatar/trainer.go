package avatar

import (
	"fmt"

	"github.com/ganlab/ganlab/datasets"
)

// Trainer trains a Model on the training identities of Heads. It is a gan.Trainable: gan.Run
// drives it with checkpoints, resume, interrupts and fault recovery, as it drives the GANs.
type Trainer struct {
	*Model
	Heads datasets.Heads
}

// TrainOneStep runs TrainStep and summarises the step's losses.
func (t *Trainer) TrainOneStep() (string, error) {
	r, err := t.TrainStep(t.Heads)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("L1 %.4f adv %.3f fm %.3f loss_D %.3f", r.L1, r.Adversarial, r.FeatureMatching, r.LossD), nil
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

// ReadConfig returns the configuration a model file (or checkpoint) was saved with.
func ReadConfig(path string) (Config, error) {
	f, err := readFile(path)
	if err != nil {
		return Config{}, err
	}
	return f.Config, nil
}
