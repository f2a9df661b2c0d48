package plotting_test

import (
	"fmt"

	"github.com/ganlab/ganlab/plotting"
)

// Tiling images (values in [−1, 1], as generators output them) into a grid, zoomed 2×.
func ExampleImageGrid() {
	flat := make([]float32, 6*4*4) // six 4×4 grayscale images
	images, _ := plotting.FloatImages(flat, 6, 4, 4, 1)
	grid, _ := plotting.ImageGrid(images, 3, 1, 2)
	fmt.Println(grid.Bounds().Dx(), grid.Bounds().Dy())
	// Output: 28 19
}
