package cgan_test

import (
	"fmt"

	"github.com/janpfeifer/must"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/cgan"
	"github.com/ganlab/ganlab/gan"
)

// Asking a conditional generator for given classes: one image per label; a label outside
// [0, classes) is an error, not a silent wrap.
func Example() {
	backend.Quiet()
	c := cgan.MNISTMLP()
	g, _ := must.M2(c.Models()) // a generator alone: no discriminator
	generator := must.M1(gan.NewConditionalModel(backend.MustNew("go"), c.GanConfig(), c.Classes, g, nil))
	images := must.M1(generator.SampleLabeled([]int{7, 7, 3}))
	fmt.Println(images.Shape().Dimensions)
	_, err := generator.SampleLabeled([]int{10})
	fmt.Println(err)
	// Output:
	// [3 28 28 1]
	// label 10 (at position 0) is outside [0, 10)
}

// Balanced labels for measuring label accuracy: n/classes of each class.
func ExampleBalancedLabels() {
	fmt.Println(cgan.BalancedLabels(7, 3))
	// Output: [0 1 2 0 1 2 0]
}
