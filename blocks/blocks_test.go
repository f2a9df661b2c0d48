package blocks

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ganlab/ganlab/backend"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"
)

// Test helpers shared by the building-block tests: float64 arrays with shapes, a graph runner,
// and a finite-difference gradient check.

// testBackend is the go backend as ganlab constructs it (variables passed as parameters).
var testBackend compute.Backend = backend.MustNew("go")

type array struct {
	dims []int
	data []float64
}

func randArray(rng *rand.Rand, dims ...int) array {
	size := 1
	for _, d := range dims {
		size *= d
	}
	a := array{dims: dims, data: make([]float64, size)}
	for i := range a.data {
		a.data[i] = rng.NormFloat64()
	}
	return a
}

func (a array) tensor() *tensors.Tensor { return tensors.FromFlatDataAndDimensions(a.data, a.dims...) }

// at4 indexes a rank-4 array.
func (a array) at4(i, j, k, l int) float64 {
	return a.data[((i*a.dims[1]+j)*a.dims[2]+k)*a.dims[3]+l]
}

// run executes fn on the inputs and returns its single output as flat float64 and dims.
func run(t testing.TB, fn func(inputs []*Node) *Node, inputs ...array) array {
	t.Helper()
	exec := MustNewExec(testBackend, fn)
	args := make([]any, len(inputs))
	for i, in := range inputs {
		args[i] = in.tensor()
	}
	return arrayOf(exec.MustExec(args...)[0])
}

// arrayOf copies a float64 tensor into an array.
func arrayOf(t *tensors.Tensor) array {
	return array{dims: t.Shape().Dimensions, data: tensors.MustCopyFlatData[float64](t)}
}

func assertClose(t *testing.T, what string, got, want array, tol float64) {
	t.Helper()
	if len(got.dims) != len(want.dims) {
		t.Fatalf("%s: shape %v, want %v", what, got.dims, want.dims)
	}
	for i := range got.dims {
		if got.dims[i] != want.dims[i] {
			t.Fatalf("%s: shape %v, want %v", what, got.dims, want.dims)
		}
	}
	worst := 0.0
	for i := range got.data {
		worst = max(worst, math.Abs(got.data[i]-want.data[i]))
	}
	if worst > tol || math.IsNaN(worst) {
		t.Fatalf("%s: max |got − want| = %.3g > %.1g", what, worst, tol)
	}
}

// checkGradients compares Gradient(Σ fn(inputs)·r) for a fixed random r with central finite
// differences of the same scalar, for every element of every input; float64 throughout. It
// returns the largest absolute error.
func checkGradients(t *testing.T, what string, fn func(inputs []*Node) *Node, inputs ...array) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 11))
	out := run(t, fn, inputs...)
	weights := randArray(rng, out.dims...)
	scalar := func(nodes []*Node) *Node {
		y := fn(nodes)
		return ReduceAllSum(Mul(y, Const(y.Graph(), weights.tensor())))
	}
	gradExec := MustNewExec(testBackend, func(nodes []*Node) []*Node { return Gradient(scalar(nodes), nodes...) })
	valueExec := MustNewExec(testBackend, func(nodes []*Node) *Node { return scalar(nodes) })
	args := func() []any {
		a := make([]any, len(inputs))
		for i, in := range inputs {
			a[i] = in.tensor()
		}
		return a
	}
	grads := gradExec.MustExec(args()...)
	const h = 1e-6
	worst := 0.0
	for k, in := range inputs {
		analytic := tensors.MustCopyFlatData[float64](grads[k])
		for i := range in.data {
			orig := in.data[i]
			in.data[i] = orig + h
			plus := tensors.ToScalar[float64](valueExec.MustExec(args()...)[0])
			in.data[i] = orig - h
			minus := tensors.ToScalar[float64](valueExec.MustExec(args()...)[0])
			in.data[i] = orig
			numeric := (plus - minus) / (2 * h)
			worst = max(worst, math.Abs(numeric-analytic[i]))
		}
	}
	if worst > 1e-6 || math.IsNaN(worst) {
		t.Fatalf("%s: gradient differs from finite differences by %.3g (> 1e-6)", what, worst)
	}
	t.Logf("%s: max |analytic − finite difference| = %.2g", what, worst)
}
