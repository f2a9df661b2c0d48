package dcgan

import (
	"math/rand/v2"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/gan"
)

type noise struct{ rng *rand.Rand }

func (n *noise) Next(m int) (*tensors.Tensor, error) {
	data := make([]float32, m*28*28)
	for i := range data {
		data[i] = 2*n.rng.Float32() - 1
	}
	return tensors.FromFlatDataAndDimensions(data, m, 28, 28, 1), nil
}
func (n *noise) State() ([]byte, error) { return nil, nil }
func (n *noise) Restore([]byte) error   { return nil }
func (n *noise) ExampleShape() []int    { return []int{28, 28, 1} }

// TestTutorialModelsTrainAndSample: the tutorial model's shapes, its parameter count (the same
// as the PyTorch anchor's: 2,305,472 in G without batch-norm statistics, 212,865 in D), one
// simultaneous training step, and samples in [−1, 1].
func TestTutorialModelsTrainAndSample(t *testing.T) {
	backend.Quiet()
	cfg := gan.DefaultConfig()
	cfg.BatchSize, cfg.Simultaneous = 4, true
	g, d := TutorialModels()
	tr, err := gan.NewTrainer(backend.MustNew("go"), cfg, g, d, &noise{rand.New(rand.NewPCG(1, 2))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.TrainStep(); err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for v := range tr.Store.IterVariables() {
		if v.Trainable {
			count[v.Scope()[:len("/generator")]] += v.Shape().Size()
		}
	}
	if count["/generator"] != 2305472 || count["/discrimin"] != 212865 {
		t.Fatalf("trainable parameters: %v", count)
	}
	out, err := tr.Sample(3)
	if err != nil {
		t.Fatal(err)
	}
	if dims := out.Shape().Dimensions; len(dims) != 4 || dims[0] != 3 || dims[1] != 28 || dims[3] != 1 {
		t.Fatalf("sample shape %v", out.Shape())
	}
	tensors.MustConstFlatData[float32](out, func(flat []float32) {
		for _, v := range flat {
			if v < -1 || v > 1 {
				t.Fatalf("sample value %g outside [−1, 1]", v)
			}
		}
	})
}
