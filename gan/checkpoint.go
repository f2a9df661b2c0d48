package gan

import (
	"encoding/gob"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// checkpointFormat identifies ganlab checkpoints (and their version).
const checkpointFormat = "ganlab-checkpoint-v1"

// checkpoint is what a file holds: every Store variable (weights, both optimizers' moments and
// step counters, the RNG state, batch-norm statistics), the trainer's step, configuration and
// history, and the data source's position. Everything needed to resume exactly.
type checkpoint struct {
	Format    string
	Model     string // the model's name, checked when loading
	Step      int
	Config    Config
	DataState []byte
	History   History
	Variables []savedVariable
}

type savedVariable struct {
	Path      string
	DType     string
	Dims      []int
	Trainable bool
	Data      []byte // the tensor's raw bytes, host order
}

// CheckpointName returns the file name used for a step.
func CheckpointName(step int) string { return fmt.Sprintf("ckpt-%08d.gob", step) }

// Save writes a checkpoint for the current step into dir and keeps the newest keep files
// (keep ≤ 0 keeps all). The write is atomic: the data goes to a temporary file that is synced
// and then renamed, so a crash or kill -9 during Save leaves the previous checkpoints intact.
// It refuses to save non-finite weights. model names the architecture (checked on load).
func (t *Trainer) Save(dir, modelName string, keep int) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("checkpoint directory %s: %w", dir, err)
	}
	ck, err := t.snapshot(modelName, func(*model.Variable) bool { return true })
	if err != nil {
		return "", err
	}
	// Temporary files of saves that a crash interrupted are garbage: remove them.
	if stale, _ := filepath.Glob(filepath.Join(dir, ".ckpt-*.tmp*")); len(stale) > 0 {
		for _, f := range stale {
			_ = os.Remove(f)
		}
	}
	path := filepath.Join(dir, CheckpointName(t.step))
	if err := writeAtomic(path, func(f *os.File) error { return gob.NewEncoder(f).Encode(ck) }); err != nil {
		return "", err
	}
	if keep > 0 {
		files, _ := listCheckpoints(dir)
		for i := 0; i < len(files)-keep; i++ {
			_ = os.Remove(files[i])
		}
	}
	return path, nil
}

// SaveGenerator writes only what sampling needs — the generator's variables (weights and
// batch-norm statistics), the configuration, step and history — to path, atomically. This is the
// format of shipped pretrained generators: a fraction of a full checkpoint's size (no
// discriminator, no optimizer moments). Load it with Load into NewGenerator's Trainer.
func (t *Trainer) SaveGenerator(path, modelName string) error {
	prefix := "/" + GenScope + "/"
	ck, err := t.snapshot(modelName, func(v *model.Variable) bool { return strings.HasPrefix(v.Path(), prefix) })
	if err != nil {
		return err
	}
	ck.DataState = nil
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return writeAtomic(path, func(f *os.File) error { return gob.NewEncoder(f).Encode(ck) })
}

// snapshot gathers the variables selected by keep (refusing non-finite values) with the
// trainer's state.
func (t *Trainer) snapshot(modelName string, keep func(*model.Variable) bool) (*checkpoint, error) {
	var dataState []byte
	if t.Data != nil {
		var err error
		if dataState, err = t.Data.State(); err != nil {
			return nil, fmt.Errorf("saving data position: %w", err)
		}
	}
	ck := &checkpoint{Format: checkpointFormat, Model: modelName, Step: t.step, Config: t.Config, DataState: dataState, History: *t.History}
	for v := range t.Store.IterVariables() {
		if !v.HasValue() || !keep(v) {
			continue
		}
		value := v.MustValue()
		if err := checkTensorFinite(value, v.Path()); err != nil {
			return nil, fmt.Errorf("not saving a checkpoint at step %d: %w", t.step, err)
		}
		var raw []byte
		if err := value.ConstBytes(func(b []byte) { raw = append([]byte(nil), b...) }); err != nil {
			return nil, fmt.Errorf("reading variable %s: %w", v.Path(), err)
		}
		ck.Variables = append(ck.Variables, savedVariable{Path: v.Path(), DType: value.DType().String(), Dims: value.Shape().Dimensions, Trainable: v.Trainable, Data: raw})
	}
	sort.Slice(ck.Variables, func(i, j int) bool { return ck.Variables[i].Path < ck.Variables[j].Path })
	return ck, nil
}

// writeAtomic writes path through a synced temporary file in the same directory and a rename.
func writeAtomic(path string, write func(f *os.File) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// listCheckpoints returns the checkpoint files of dir, oldest first.
func listCheckpoints(dir string) ([]string, error) {
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
	files, err := listCheckpoints(dir)
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

func readCheckpoint(path string) (*checkpoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	defer f.Close()
	var ck checkpoint
	if err := gob.NewDecoder(f).Decode(&ck); err != nil {
		return nil, fmt.Errorf("checkpoint %s: corrupt or not a ganlab checkpoint (%v)", path, err)
	}
	if ck.Format != checkpointFormat {
		return nil, fmt.Errorf("checkpoint %s: format %q, want %q", path, ck.Format, checkpointFormat)
	}
	return &ck, nil
}

// Load restores a checkpoint file (or the newest one in a directory) into the trainer: every
// variable, step, history, configuration and data position. modelName must match the saved one,
// and every saved variable that the trainer's Store already has must have the same shape — a
// checkpoint of another model is an error naming the first mismatch.
func (t *Trainer) Load(path, modelName string) error {
	if st, err := os.Stat(path); err != nil {
		return fmt.Errorf("checkpoint %s: %w", path, err)
	} else if st.IsDir() {
		latest, err := LatestCheckpoint(path)
		if err != nil {
			return err
		}
		if latest == "" {
			return fmt.Errorf("checkpoint directory %s holds no ckpt-*.gob files", path)
		}
		path = latest
	}
	ck, err := readCheckpoint(path)
	if err != nil {
		return err
	}
	if ck.Model != modelName {
		return fmt.Errorf("checkpoint %s is of model %q, not %q", path, ck.Model, modelName)
	}
	if err := ck.Config.Validate(); err != nil {
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	values := make([]*tensors.Tensor, len(ck.Variables))
	for i, sv := range ck.Variables {
		dtype, err := dtypes.DTypeString(sv.DType)
		if err != nil {
			return fmt.Errorf("checkpoint %s: variable %s has unknown dtype %q", path, sv.Path, sv.DType)
		}
		tensor := tensors.FromShape(shapeOf(dtype, sv.Dims))
		if err := setBytes(tensor, sv.Data); err != nil {
			return fmt.Errorf("checkpoint %s: variable %s: %w", path, sv.Path, err)
		}
		if existing := t.Store.GetVariable(sv.Path); existing != nil && existing.HasValue() && !existing.Shape().Equal(tensor.Shape()) {
			return fmt.Errorf("checkpoint %s does not fit this model: variable %s is %s in the checkpoint but %s here",
				path, sv.Path, tensor.Shape(), existing.Shape())
		}
		values[i] = tensor
	}
	for i, sv := range ck.Variables {
		if v := t.Store.GetVariable(sv.Path); v != nil {
			if err := v.SetValue(values[i]); err != nil {
				return fmt.Errorf("checkpoint %s: variable %s: %w", path, sv.Path, err)
			}
			continue
		}
		scopePath, name := model.SplitPath(sv.Path)
		v, err := t.Store.Scope(scopePath).CreateVariable(name, values[i])
		if err != nil {
			return fmt.Errorf("checkpoint %s: variable %s: %w", path, sv.Path, err)
		}
		v.SetTrainable(sv.Trainable)
	}
	if t.Data != nil && len(ck.DataState) > 0 {
		if err := t.Data.Restore(ck.DataState); err != nil {
			return fmt.Errorf("checkpoint %s: data position: %w", path, err)
		}
	}
	t.Config, t.step, *t.History = ck.Config, ck.Step, ck.History
	return nil
}

func checkTensorFinite(t *tensors.Tensor, name string) error {
	var bad error
	t.MustConstFlatData(func(flat any) {
		check := func(i int, v float64) bool {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				bad = fmt.Errorf("variable %s holds %v at element %d", name, v, i)
				return false
			}
			return true
		}
		switch f := flat.(type) {
		case []float32:
			for i, v := range f {
				if !check(i, float64(v)) {
					return
				}
			}
		case []float64:
			for i, v := range f {
				if !check(i, v) {
					return
				}
			}
		}
	})
	return bad
}

func shapeOf(dtype dtypes.DType, dims []int) shapes.Shape { return shapes.Make(dtype, dims...) }

// setBytes fills a tensor from raw bytes of exactly its size.
func setBytes(t *tensors.Tensor, data []byte) error {
	var err error
	if e := t.MutableBytes(func(b []byte) {
		if len(b) != len(data) {
			err = fmt.Errorf("%d bytes for shape %s (want %d)", len(data), t.Shape(), len(b))
			return
		}
		copy(b, data)
	}); e != nil {
		return e
	}
	return err
}
