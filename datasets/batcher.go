package datasets

import (
	"fmt"
	"math/rand/v2"
)

// Batcher yields seeded, shuffled mini-batches of indices in [0, N), epoch after epoch. The
// permutation of epoch e depends only on (Seed, e), so a Batcher restored from its State
// continues exactly where it stopped — what checkpoints need for exact resume.
type Batcher struct {
	state BatcherState
	perm  []int
}

// BatcherState is everything a Batcher needs to resume; it is JSON-serializable.
type BatcherState struct {
	N, BatchSize int
	Seed         uint64
	Epoch, Pos   int // next batch starts at perm(Epoch)[Pos]
}

// NewBatcher creates a batcher over n items; batches never straddle epochs (the last partial
// batch of an epoch is dropped, as with drop_last=True), so every batch has exactly batchSize.
func NewBatcher(n, batchSize int, seed uint64) (*Batcher, error) {
	return RestoreBatcher(BatcherState{N: n, BatchSize: batchSize, Seed: seed})
}

// RestoreBatcher recreates a batcher from a saved state.
func RestoreBatcher(s BatcherState) (*Batcher, error) {
	if s.BatchSize <= 0 {
		return nil, fmt.Errorf("batch size must be > 0, got %d", s.BatchSize)
	}
	if s.N < s.BatchSize {
		return nil, fmt.Errorf("batch size %d is larger than the dataset (%d items)", s.BatchSize, s.N)
	}
	if s.Epoch < 0 || s.Pos < 0 || s.Pos > s.N {
		return nil, fmt.Errorf("bad batcher state: epoch %d position %d of %d", s.Epoch, s.Pos, s.N)
	}
	b := &Batcher{state: s}
	b.shuffle()
	return b, nil
}

func (b *Batcher) shuffle() {
	rng := rand.New(rand.NewPCG(b.state.Seed, uint64(b.state.Epoch)))
	b.perm = rng.Perm(b.state.N)
}

// Next returns the indices of the next batch (a fresh slice).
func (b *Batcher) Next() []int {
	if b.state.Pos+b.state.BatchSize > b.state.N {
		b.state.Epoch++
		b.state.Pos = 0
		b.shuffle()
	}
	out := append([]int(nil), b.perm[b.state.Pos:b.state.Pos+b.state.BatchSize]...)
	b.state.Pos += b.state.BatchSize
	return out
}

// State returns the resumable state.
func (b *Batcher) State() BatcherState { return b.state }

// Epoch is the current epoch (0-based).
func (b *Batcher) Epoch() int { return b.state.Epoch }
