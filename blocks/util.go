package blocks

import (
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"
)

func shapeOf(dtype dtypes.DType, dims ...int) shapes.Shape { return shapes.Make(dtype, dims...) }

// zeros returns a zero-filled tensor (tensors.FromShape allocates zeroed memory).
func zeros(dtype dtypes.DType, dims ...int) *tensors.Tensor {
	return tensors.FromShape(shapes.Make(dtype, dims...))
}

// ones returns a tensor filled with 1.
func ones(dtype dtypes.DType, dims ...int) *tensors.Tensor {
	t := zeros(dtype, dims...)
	t.MustMutableFlatData(func(flat any) {
		switch f := flat.(type) {
		case []float32:
			for i := range f {
				f[i] = 1
			}
		case []float64:
			for i := range f {
				f[i] = 1
			}
		}
	})
	return t
}

// constantOf is a constant node of dtype holding values (row-major) with the given dimensions:
// built in the graph's dtype, so that running the graph converts nothing.
func constantOf(g *Graph, dtype dtypes.DType, values []float64, dims ...int) *Node {
	t := zeros(dtype, dims...)
	t.MustMutableFlatData(func(flat any) {
		switch f := flat.(type) {
		case []float32:
			for i, v := range values {
				f[i] = float32(v)
			}
		case []float64:
			copy(f, values)
		}
	})
	return Const(g, t)
}
