package eval_test

import (
	"fmt"

	"github.com/ganlab/ganlab/eval"
)

// The classifier score is exp(E_x KL(p(y|x) ‖ p(y))): confident predictions spread evenly over
// the classes score the number of classes; one class for everything scores 1.
func ExampleClassifierScore() {
	even := [][]float64{{1, 0}, {0, 1}}
	collapsed := [][]float64{{1, 0}, {1, 0}}
	fmt.Printf("%.2f %.2f\n", eval.ClassifierScore(even), eval.ClassifierScore(collapsed))
	// Output: 2.00 1.00
}
