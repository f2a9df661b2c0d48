package blocks_test

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/janpfeifer/must"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/blocks"
)

// DCGAN's up-sampling: a stride-2 transposed convolution with "same" padding doubles 7×7 to 14×14.
func ExampleConvTranspose() {
	backend.Quiet()
	x := tensors.FromShape(tensors.FromScalarAndDimensions(float32(1), 2, 7, 7, 128).Shape())
	k := tensors.FromScalarAndDimensions(float32(0.01), 5, 5, 128, 64)
	y := must.M1(MustNewExec(backend.MustNew("go"), func(x, k *Node) *Node {
		return blocks.ConvTranspose(x, k, blocks.ConvTransposeSpec{Strides: [2]int{2, 2}, Padding: blocks.Same})
	}).Exec1(x, k))
	fmt.Println(y.Shape())
	// Output: (Float32)[2, 14, 14, 64]
}
