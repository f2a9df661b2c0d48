package blocks

import (
	"sync"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// InferenceExec runs a model graph function outside training mode (samplers, evaluators) and
// always sees the Store's current variables.
//
// Why it exists: the pure-Go backend declares PreferConstantsForVariables, so a model.Exec built
// outside training mode embeds every variable as a constant when it compiles. A sampler compiled
// once would keep producing the generator of that moment while training goes on. InferenceExec
// remembers which tensor each variable held when it compiled and rebuilds its Exec (≈0.1–0.2 s)
// when any of them has been replaced — by a training step, a checkpoint load or SetValue.
// Mutating a variable's tensor in place is not detected. On backends that pass variables as
// parameters (XLA) it never rebuilds.
type InferenceExec struct {
	backend compute.Backend
	store   *model.Store
	newExec func() (*model.Exec, error)

	mu       sync.Mutex
	exec     *model.Exec
	snapshot map[*model.Variable]*tensors.Tensor
}

// NewInferenceExec is like model.NewExec for a graph function that is used for inference.
func NewInferenceExec[F model.ExecGraphFn](backend compute.Backend, store *model.Store, graphFn F) *InferenceExec {
	return &InferenceExec{
		backend: backend,
		store:   store,
		newExec: func() (*model.Exec, error) { return model.NewExec(backend, store, graphFn) },
	}
}

// Call executes the graph on args, rebuilding it first if it would read stale variables.
func (e *InferenceExec) Call(args ...any) ([]*tensors.Tensor, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.exec != nil && e.stale() {
		e.exec.Finalize()
		e.exec, e.snapshot = nil, nil
	}
	if e.exec == nil {
		exec, err := e.newExec()
		if err != nil {
			return nil, err
		}
		e.exec = exec
	}
	if e.snapshot == nil {
		// The first call compiles: on constant-embedding backends it captures the values held now.
		e.snapshot = e.takeSnapshot()
	}
	return e.exec.Call(args...)
}

// MustCall is Call for notebooks and main: it panics on error.
func (e *InferenceExec) MustCall(args ...any) []*tensors.Tensor {
	out, err := e.Call(args...)
	if err != nil {
		panic(err)
	}
	return out
}

// Finalize frees the compiled graph.
func (e *InferenceExec) Finalize() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.exec != nil {
		e.exec.Finalize()
		e.exec = nil
	}
}

func (e *InferenceExec) takeSnapshot() map[*model.Variable]*tensors.Tensor {
	snap := make(map[*model.Variable]*tensors.Tensor)
	for v := range e.store.IterVariables() {
		if v.HasValue() {
			snap[v] = v.MustValue()
		}
	}
	return snap
}

// stale reports whether a variable now holds a different tensor than when the graph was compiled.
func (e *InferenceExec) stale() bool {
	if !e.backend.Capabilities().PreferConstantsForVariables || e.snapshot == nil {
		return false
	}
	n := 0
	for v := range e.store.IterVariables() {
		if !v.HasValue() {
			continue
		}
		n++
		if e.snapshot[v] != v.MustValue() {
			return true
		}
	}
	return n != len(e.snapshot)
}
