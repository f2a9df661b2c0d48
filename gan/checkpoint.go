package gan

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gomlx/gomlx/ml/model"

	"github.com/ganlab/ganlab/internal/storeio"
)

// checkpointFormat identifies ganlab checkpoints (and their version).
const checkpointFormat = "ganlab-checkpoint-v1"

// checkpoint is what a file holds: every Store variable (weights, both optimizers' moments and
// step counters, the RNG state, batch-norm statistics), the trainer's step, configuration and
// history, and the data source's position. Everything needed to resume exactly.
type checkpoint struct {
	Format    string
	Full      bool   // a training checkpoint (SaveCheckpoint), not a file of the models alone
	Model     string // the model's name, checked when loading
	Step      int
	Config    Config
	DataState []byte
	History   History
	Meta      map[string]string // the model's own description (e.g. a DCGAN's architecture), see Trainer.Meta
	Variables []storeio.Variable
}

// CheckpointInfo is what a checkpoint or generator file says about itself.
type CheckpointInfo struct {
	Path   string
	Model  string
	Step   int
	Config Config
	Meta   map[string]string
}

// Checkpoint is a checkpoint or generator file read into memory by ReadCheckpoint: its
// description, and its contents for Trainer.Restore. A loader that must build the model the file
// describes before filling it (dcgan.LoadGenerator) reads the file once this way, not twice.
type Checkpoint struct {
	CheckpointInfo
	ck *checkpoint
}

// ReadCheckpoint reads a file (or the newest checkpoint of a directory) and checks its format
// and, unless modelName is empty, that it is of that model.
func ReadCheckpoint(path, modelName string) (*Checkpoint, error) {
	path, ck, err := readCheckpoint(path, modelName)
	if err != nil {
		return nil, err
	}
	return &Checkpoint{CheckpointInfo{Path: path, Model: ck.Model, Step: ck.Step, Config: ck.Config, Meta: ck.Meta}, ck}, nil
}

// ReadCheckpointInfo reads a file's description without loading it into a Store; path may be
// a checkpoint directory (its newest file).
func ReadCheckpointInfo(path string) (CheckpointInfo, error) {
	c, err := ReadCheckpoint(path, "")
	if err != nil {
		return CheckpointInfo{}, err
	}
	return c.CheckpointInfo, nil
}

// readCheckpoint reads a checkpoint file (or the newest one in a directory) and checks its format
// and, unless modelName is empty, that it is of that model. It returns the file's path.
func readCheckpoint(path, modelName string) (string, *checkpoint, error) {
	path, err := resolveCheckpoint(path)
	if err != nil {
		return "", nil, err
	}
	var ck checkpoint
	if err := storeio.ReadGob(path, "ganlab checkpoint", &ck); err != nil {
		return "", nil, err
	}
	if ck.Format != checkpointFormat {
		return "", nil, fmt.Errorf("checkpoint %s: format %q, want %q", path, ck.Format, checkpointFormat)
	}
	if modelName != "" && ck.Model != modelName {
		return "", nil, fmt.Errorf("checkpoint %s is of model %q, not %q", path, ck.Model, modelName)
	}
	return path, &ck, nil
}

// resolveCheckpoint turns a checkpoint directory into its newest file.
func resolveCheckpoint(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("checkpoint %s: %w", path, err)
	}
	if !st.IsDir() {
		return path, nil
	}
	latest, err := LatestCheckpoint(path)
	if err != nil {
		return "", err
	}
	if latest == "" {
		return "", fmt.Errorf("checkpoint directory %s holds no ckpt-*.gob files", path)
	}
	return latest, nil
}

// CheckpointName returns the file name used for a step.
func CheckpointName(step int) string { return fmt.Sprintf("ckpt-%08d.gob", step) }

// Save writes a checkpoint for the current step into dir as ckpt-NNNNNNNN.gob and keeps the
// newest keep files (keep ≤ 0 keeps all). model names the architecture (checked on load). Run
// calls SaveCheckpoint the same way; Save is for a loop of one's own.
func (t *Trainer) Save(dir, modelName string, keep int) (string, error) {
	path := filepath.Join(dir, CheckpointName(t.step))
	return path, saveCheckpoint(func(path string) error { return t.writeCheckpoint(path, modelName) }, path, keep)
}

// SaveCheckpoint writes a full checkpoint to path (Trainable): every Store variable (weights,
// both optimizers' moments and step counters, the RNG state, batch-norm statistics), the step,
// configuration, history and Meta, and the data source's position. The write is atomic: the
// data goes to a temporary file that is synced and then renamed, so a crash or kill -9 during
// the save leaves the previous checkpoints intact. Non-finite weights are refused.
func (t *Trainer) SaveCheckpoint(path string) error {
	if t.Name == "" {
		return errors.New("gan: set Model.Name before saving a checkpoint (it is checked on load)")
	}
	return t.writeCheckpoint(path, t.Name)
}

func (t *Trainer) writeCheckpoint(path, modelName string) error {
	ck, err := t.snapshot(modelName, nil)
	if err != nil {
		return err
	}
	ck.Full = true
	if ck.DataState, err = t.Data.State(); err != nil {
		return fmt.Errorf("saving data position: %w", err)
	}
	if err := storeio.WriteGob(path, ck); err != nil {
		return fmt.Errorf("checkpoint %w", err)
	}
	return nil
}

// LoadCheckpoint restores a full checkpoint of a model named Model.Name (Trainable). A file of
// the models alone (SaveGenerator, SaveModels) is refused: it has no optimizer state and no data
// position, so training could not continue exactly.
func (t *Trainer) LoadCheckpoint(path string) error {
	path, ck, err := readCheckpoint(path, t.Name)
	if err != nil {
		return err
	}
	if !ck.Full && len(ck.DataState) == 0 { // files written before Full existed: only checkpoints have a data position
		return fmt.Errorf("%s is a %s file of the models alone, not a training checkpoint: a run cannot be resumed from it", path, ck.Model)
	}
	return t.restore(path, ck)
}

// SaveGenerator writes only what sampling needs — the generator's variables (weights and
// batch-norm statistics), the configuration, step and history — to path, atomically. This is the
// format of shipped pretrained generators: a fraction of a full checkpoint's size (no
// discriminator, no optimizer moments). Load it with Load into a Model without a discriminator.
func (m *Model) SaveGenerator(path, modelName string) error {
	return m.SaveModels(path, modelName, false)
}

// SaveGeneratorBFloat16 is SaveGenerator with every weight rounded to bfloat16 precision (still
// stored as float32, so any ganlab reads it; storeio.RoundToBFloat16): about half the bytes once
// compressed, for shipping a large generator within the repository's budget. It returns the
// largest relative change of a weight (at most 2⁻⁸); measure the rounded file before shipping it.
func (m *Model) SaveGeneratorBFloat16(path, modelName string) (maxRelChange float64, err error) {
	return m.saveModels(path, modelName, false, true)
}

// SaveModels is SaveGenerator that can also keep the discriminator's variables (still no
// optimizer moments): for analyses of a trained D, such as the CGAN four-case table.
func (m *Model) SaveModels(path, modelName string, withDiscriminator bool) error {
	_, err := m.saveModels(path, modelName, withDiscriminator, false)
	return err
}

func (m *Model) saveModels(path, modelName string, withDiscriminator, bfloat16 bool) (maxRelChange float64, err error) {
	prefixes := []string{"/" + GenScope + "/"}
	if withDiscriminator {
		prefixes = append(prefixes, "/"+DiscScope+"/")
	}
	ck, err := m.snapshot(modelName, func(v *model.Variable) bool {
		for _, p := range prefixes {
			if strings.HasPrefix(v.Path(), p) {
				return true
			}
		}
		return false
	})
	if err != nil {
		return 0, err
	}
	if bfloat16 {
		maxRelChange = storeio.RoundToBFloat16(ck.Variables)
	}
	return maxRelChange, storeio.WriteGobCompressed(path, ck)
}

// snapshot gathers the variables selected by keep (all when nil) with the model's step,
// configuration, history and Meta.
func (m *Model) snapshot(modelName string, keep func(*model.Variable) bool) (*checkpoint, error) {
	vars, err := storeio.Collect(m.Store, keep)
	if err != nil {
		return nil, fmt.Errorf("not saving a checkpoint at step %d: %w", m.step, err)
	}
	return &checkpoint{Format: checkpointFormat, Model: modelName, Step: m.step, Config: m.Config,
		History: *m.History, Meta: m.Meta, Variables: vars}, nil
}

// ListCheckpoints returns the checkpoint files (ckpt-*.gob) of dir, oldest first.
func ListCheckpoints(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasPrefix(e.Name(), "ckpt-") && strings.HasSuffix(e.Name(), ".gob") {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(files)
	return files, nil
}

// LatestCheckpoint returns the newest checkpoint file in dir, or "" if there is none.
func LatestCheckpoint(dir string) (string, error) {
	files, err := ListCheckpoints(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", nil
		}
		return "", fmt.Errorf("checkpoint directory %s: %w", dir, err)
	}
	if len(files) == 0 {
		return "", nil
	}
	return files[len(files)-1], nil
}

// Load restores a checkpoint or generator file (or the newest checkpoint of a directory) into
// the model: every variable it holds, step, history, configuration and Meta. modelName must match
// the saved one, and every saved variable that the Store already has must have the same shape —
// a file of another model is an error naming the first mismatch.
func (m *Model) Load(path, modelName string) error {
	path, ck, err := readCheckpoint(path, modelName)
	if err != nil {
		return err
	}
	return m.restore(path, ck)
}

// Restore puts a file read by ReadCheckpoint into the model, as Load does after reading it.
func (m *Model) Restore(c *Checkpoint) error { return m.restore(c.Path, c.ck) }

func (m *Model) restore(path string, ck *checkpoint) error {
	if err := ck.Config.Validate(); err != nil {
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	if err := storeio.Restore(m.Store, ck.Variables, "checkpoint "+path); err != nil {
		return err
	}
	m.Config, m.step, *m.History, m.Meta = ck.Config, ck.Step, ck.History, ck.Meta
	return nil
}

// Load restores a full checkpoint (or the newest one in a directory) into the trainer: the
// model (Model.Load) and the data position.
func (t *Trainer) Load(path, modelName string) error {
	path, ck, err := readCheckpoint(path, modelName)
	if err != nil {
		return err
	}
	return t.restore(path, ck)
}

// Restore puts a file read by ReadCheckpoint into the trainer, as Load does after reading it.
func (t *Trainer) Restore(c *Checkpoint) error { return t.restore(c.Path, c.ck) }

func (t *Trainer) restore(path string, ck *checkpoint) error {
	if err := t.Model.restore(path, ck); err != nil {
		return err
	}
	if len(ck.DataState) > 0 {
		if err := t.Data.Restore(ck.DataState); err != nil {
			return fmt.Errorf("checkpoint %s: data position: %w", path, err)
		}
	}
	return nil
}

// NewestCheckpoints returns the newest n checkpoint files of a run directory (its checkpoints/)
// or of a checkpoint directory, oldest first; nil when path holds none.
func NewestCheckpoints(path string, n int) []string {
	if st, err := os.Stat(CheckpointDir(path)); err == nil && st.IsDir() {
		path = CheckpointDir(path)
	}
	files, _ := ListCheckpoints(path)
	return files[max(len(files)-n, 0):]
}
