package gan

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/ganlab/ganlab/datasets"
)

// DataSource yields batches of real examples, as float32 tensors [m, ...], and can save and
// restore its position so that a resumed run sees exactly the batches it would have seen.
type DataSource interface {
	Next(m int) (*tensors.Tensor, error)
	State() ([]byte, error)
	Restore(state []byte) error
}

// LabeledSource is a DataSource whose examples carry class labels: the data of a conditional
// GAN. NextLabeled returns the batch and its labels, int32 [m] in [0, NumClasses()).
type LabeledSource interface {
	DataSource
	NextLabeled(m int) (x, y *tensors.Tensor, err error)
	NumClasses() int
}

// Toy1D samples a 1-D distribution: batches [m, 1]. Batch i is drawn from an RNG seeded by
// (Seed, i), so the state is just the batch counter.
type Toy1D struct {
	Dist    datasets.Distribution1D
	Seed    uint64
	Counter uint64
}

// Next draws m samples.
func (s *Toy1D) Next(m int) (*tensors.Tensor, error) {
	rng := rand.New(rand.NewPCG(s.Seed, s.Counter))
	s.Counter++
	x := s.Dist.Sample(rng, m)
	data := make([]float32, m)
	for i, v := range x {
		data[i] = float32(v)
	}
	return tensors.FromFlatDataAndDimensions(data, m, 1), nil
}

// State is the batch counter.
func (s *Toy1D) State() ([]byte, error) { return json.Marshal(s.Counter) }

// Restore sets the batch counter.
func (s *Toy1D) Restore(b []byte) error { return json.Unmarshal(b, &s.Counter) }

// Toy2D samples a 2-D distribution: batches [m, 2].
type Toy2D struct {
	Dist    datasets.Distribution2D
	Seed    uint64
	Counter uint64
}

// Next draws m points.
func (s *Toy2D) Next(m int) (*tensors.Tensor, error) {
	rng := rand.New(rand.NewPCG(s.Seed, s.Counter))
	s.Counter++
	pts := s.Dist.Sample(rng, m)
	data := make([]float32, 2*m)
	for i, p := range pts {
		data[2*i], data[2*i+1] = float32(p[0]), float32(p[1])
	}
	return tensors.FromFlatDataAndDimensions(data, m, 2), nil
}

// State is the batch counter.
func (s *Toy2D) State() ([]byte, error) { return json.Marshal(s.Counter) }

// Restore sets the batch counter.
func (s *Toy2D) Restore(b []byte) error { return json.Unmarshal(b, &s.Counter) }

// Images serves shuffled batches of an image set, scaled to [−1, 1], shape [m, H, W, C]
// (or [m, H·W·C] when Flatten is set, for MLP models).
type Images struct {
	Set     *datasets.ImageSet
	Flatten bool
	batcher *datasets.Batcher
	seed    uint64
	buf     []float32
}

// NewImages serves set with epoch shuffles seeded by seed.
func NewImages(set *datasets.ImageSet, seed uint64, flatten bool) *Images {
	return &Images{Set: set, Flatten: flatten, seed: seed}
}

// Next returns the next m images; the batch size must stay the same during a run.
func (s *Images) Next(m int) (*tensors.Tensor, error) {
	x, _, err := s.next(m)
	return x, err
}

// NextLabeled returns the next m images and their labels (int32 [m]); it is an error for an
// unlabelled set.
func (s *Images) NextLabeled(m int) (x, y *tensors.Tensor, err error) {
	if s.Set.Labels == nil {
		return nil, nil, fmt.Errorf("%s: the images have no labels (a conditional GAN needs them)", s.Set.Name)
	}
	x, labels, err := s.next(m)
	if err != nil {
		return nil, nil, err
	}
	return x, tensors.FromFlatDataAndDimensions(labels, m), nil
}

// NumClasses is the number of class names of the set (0 when unlabelled).
func (s *Images) NumClasses() int {
	if s.Set.Labels == nil {
		return 0
	}
	return len(s.Set.Classes)
}

func (s *Images) next(m int) (*tensors.Tensor, []int32, error) {
	if s.batcher == nil {
		b, err := datasets.NewBatcher(s.Set.N, m, s.seed)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", s.Set.Name, err)
		}
		s.batcher = b
	}
	if st := s.batcher.State(); st.BatchSize != m {
		return nil, nil, fmt.Errorf("%s: batch size changed from %d to %d", s.Set.Name, st.BatchSize, m)
	}
	var labels []int32
	s.buf, labels = s.Set.Batch(s.batcher.Next(), s.buf)
	data := append([]float32(nil), s.buf...)
	if s.Flatten {
		return tensors.FromFlatDataAndDimensions(data, m, s.Set.ImageSize()), labels, nil
	}
	return tensors.FromFlatDataAndDimensions(data, m, s.Set.H, s.Set.W, s.Set.C), labels, nil
}

// State is the batcher's position.
func (s *Images) State() ([]byte, error) {
	if s.batcher == nil {
		return json.Marshal(nil)
	}
	return json.Marshal(s.batcher.State())
}

// Restore resumes the batcher.
func (s *Images) Restore(b []byte) error {
	var st *datasets.BatcherState
	if err := json.Unmarshal(b, &st); err != nil {
		return err
	}
	if st == nil {
		s.batcher = nil
		return nil
	}
	bt, err := datasets.RestoreBatcher(*st)
	if err != nil {
		return err
	}
	s.batcher = bt
	return nil
}

// checkFinite returns an error naming the first non-finite value of a float32 batch.
func checkFinite(t *tensors.Tensor, what string) error {
	var err error
	tensors.MustConstFlatData[float32](t, func(flat []float32) {
		for i, v := range flat {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				err = fmt.Errorf("%s: element %d is %v", what, i, v)
				return
			}
		}
	})
	return err
}
