// Package storeio saves and restores GoMLX Store variables for ganlab's files (training
// checkpoints, generator files, classifiers): raw tensor bytes with path, dtype, shape and
// trainability, written atomically (synced temporary file + rename) and refusing NaN/Inf.
package storeio

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Variable is one saved Store variable.
type Variable struct {
	Path      string
	DType     string
	Dims      []int
	Trainable bool
	Data      []byte // the tensor's raw bytes, host order
}

// Collect copies the variables selected by keep (all with a value when keep is nil), sorted by
// path. A NaN or Inf in any of them is an error naming the variable: a diverged model must not
// overwrite a good file.
func Collect(store *model.Store, keep func(*model.Variable) bool) ([]Variable, error) {
	var out []Variable
	for v := range store.IterVariables() {
		if !v.HasValue() || (keep != nil && !keep(v)) {
			continue
		}
		value := v.MustValue()
		if err := checkFinite(value, v.Path()); err != nil {
			return nil, err
		}
		var raw []byte
		if err := value.ConstBytes(func(b []byte) { raw = append([]byte(nil), b...) }); err != nil {
			return nil, fmt.Errorf("reading variable %s: %w", v.Path(), err)
		}
		out = append(out, Variable{Path: v.Path(), DType: value.DType().String(), Dims: value.Shape().Dimensions, Trainable: v.Trainable, Data: raw})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// Restore sets the variables into store, creating those it lacks. It first checks every one: an
// unknown dtype, a byte count that does not match the shape, or a variable whose shape differs
// from the one the store already has ("does not fit this model") is an error naming source and
// the variable, and nothing is changed.
func Restore(store *model.Store, vars []Variable, source string) error {
	values := make([]*tensors.Tensor, len(vars))
	for i, sv := range vars {
		dtype, err := dtypes.DTypeString(sv.DType)
		if err != nil {
			return fmt.Errorf("%s: variable %s has unknown dtype %q", source, sv.Path, sv.DType)
		}
		t := tensors.FromShape(shapes.Make(dtype, sv.Dims...))
		if err := setBytes(t, sv.Data); err != nil {
			return fmt.Errorf("%s: variable %s: %w", source, sv.Path, err)
		}
		if existing := store.GetVariable(sv.Path); existing != nil && existing.HasValue() && !existing.Shape().Equal(t.Shape()) {
			return fmt.Errorf("%s does not fit this model: variable %s is %s in the file but %s here",
				source, sv.Path, t.Shape(), existing.Shape())
		}
		values[i] = t
	}
	for i, sv := range vars {
		if v := store.GetVariable(sv.Path); v != nil {
			if err := v.SetValue(values[i]); err != nil {
				return fmt.Errorf("%s: variable %s: %w", source, sv.Path, err)
			}
			continue
		}
		scopePath, name := model.SplitPath(sv.Path)
		v, err := store.Scope(scopePath).CreateVariable(name, values[i])
		if err != nil {
			return fmt.Errorf("%s: variable %s: %w", source, sv.Path, err)
		}
		v.SetTrainable(sv.Trainable)
	}
	return nil
}

// WriteAtomic writes path through a synced temporary file in the same directory and a rename:
// a crash or kill -9 at any moment leaves either the old file or the new one, never a partial
// one. Temporary files are named "."+base+".tmp*".
func WriteAtomic(path string, write func(f *os.File) error) error {
	tmp, err := createTemp(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	fail := func(err error) error {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := write(tmp); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// createTemp creates "."+base+".tmp<random>" beside path with mode 0666 less the umask, as
// os.Create would (os.CreateTemp makes 0600 files; a chmod to a fixed mode would ignore the
// umask).
func createTemp(path string) (*os.File, error) {
	for range 100 {
		name := filepath.Join(filepath.Dir(path), fmt.Sprintf(".%s.tmp%d", filepath.Base(path), rand.Uint32()))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if !os.IsExist(err) {
			return f, err
		}
	}
	return nil, fmt.Errorf("no free temporary name beside %s", path)
}

// RoundToBFloat16 rounds every float32 value of vars to the nearest bfloat16 (8 significant
// bits, ties to even), in place, and returns the largest relative change. The values stay float32,
// so every reader of ganlab files reads the result unchanged; what changes is the size once
// gzip-compressed: the low 16 bits of each value become zeros, and the file shrinks to about half.
// For shipping large generators within the repository's budget (the rounding is a relative
// change of at most 2⁻⁸ ≈ 0.4% per weight; measure the rounded model before shipping it).
func RoundToBFloat16(vars []Variable) (maxRelChange float64) {
	for i := range vars {
		if vars[i].DType != "Float32" {
			continue
		}
		data := vars[i].Data
		for j := 0; j+4 <= len(data); j += 4 {
			bits := binary.NativeEndian.Uint32(data[j:])
			before := math.Float32frombits(bits)
			if math.IsNaN(float64(before)) || math.IsInf(float64(before), 0) {
				continue // Collect refuses these; nothing to round
			}
			rounded := (bits + 0x7FFF + (bits>>16)&1) &^ 0xFFFF // round to nearest, ties to even
			binary.NativeEndian.PutUint32(data[j:], rounded)
			if before != 0 {
				after := math.Float32frombits(rounded)
				maxRelChange = max(maxRelChange, math.Abs(float64(after-before)/float64(before)))
			}
		}
	}
	return maxRelChange
}

// Every file ends with a checksum: the bytes sumMagic and the SHA-256 of everything before them.
// ReadGob verifies it, so that a file changed on disk (a flipped byte, a truncated copy) is an
// error naming it rather than a model silently loaded with wrong weights. Files written before
// the checksum existed have no trailer and are read unverified.
const sumMagic = "ganlab-sha256:"

// WriteGob writes v gob-encoded to path atomically, with a checksum.
func WriteGob(path string, v any) error {
	return writeSummed(path, func(w io.Writer) error { return gob.NewEncoder(w).Encode(v) })
}

// WriteGobCompressed is WriteGob through gzip: the format of shipped files (generators,
// classifiers, avatar models), which must fit the repository's 60 MB budget. Training
// checkpoints stay uncompressed (they are saved often; compression would slow training).
func WriteGobCompressed(path string, v any) error {
	return writeSummed(path, func(w io.Writer) error {
		zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
		if err != nil {
			return err
		}
		if err := gob.NewEncoder(zw).Encode(v); err != nil {
			return err
		}
		return zw.Close()
	})
}

func writeSummed(path string, write func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return WriteAtomic(path, func(f *os.File) error {
		bw := bufio.NewWriter(f)
		sum := sha256.New()
		if err := write(io.MultiWriter(bw, sum)); err != nil {
			return err
		}
		if _, err := bw.WriteString(sumMagic); err != nil {
			return err
		}
		if _, err := bw.Write(sum.Sum(nil)); err != nil {
			return err
		}
		return bw.Flush()
	})
}

// ReadGob decodes path into v, gzip-compressed or not (detected from the first bytes), after
// verifying its checksum; what names what the file should be (e.g. "ganlab checkpoint").
func ReadGob(path, what string, v any) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%s %s: %w", what, path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("%s %s: %w", what, path, err)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s %s: not a regular file", what, path)
	}
	payload, trailer := st.Size(), []byte(nil)
	if tail := int64(len(sumMagic) + sha256.Size); payload >= tail {
		buf := make([]byte, tail)
		if _, err := f.ReadAt(buf, payload-tail); err == nil && string(buf[:len(sumMagic)]) == sumMagic {
			payload, trailer = payload-tail, buf[len(sumMagic):]
		}
	}
	sum := sha256.New()
	body := io.TeeReader(io.LimitReader(f, payload), sum)
	br := bufio.NewReader(body)
	var r io.Reader = br
	corrupt := func(err error) error { return fmt.Errorf("%s %s: corrupt or not a %s (%v)", what, path, what, err) }
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return corrupt(err)
		}
		defer zr.Close()
		r = zr
	}
	decodeErr := gob.NewDecoder(r).Decode(v)
	if trailer != nil {
		if _, err := io.Copy(io.Discard, br); err != nil {
			return fmt.Errorf("%s %s: %w", what, path, err)
		}
		if !bytes.Equal(sum.Sum(nil), trailer) {
			return fmt.Errorf("%s %s: checksum mismatch: the file was changed or damaged after it was written", what, path)
		}
	}
	if decodeErr != nil {
		return corrupt(decodeErr)
	}
	return nil
}

func checkFinite(t *tensors.Tensor, name string) error {
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
