package datasets_test

import (
	"fmt"

	"github.com/ganlab/ganlab/datasets"
)

// A frame of a procedural talking head: RGB pixels, 22 landmarks, a foreground mask.
func ExampleHeads_Frame() {
	heads := datasets.DefaultHeads()
	rgb, landmarks, mask := heads.Frame(7, datasets.HeadPose{Yaw: 0.4, Mouth: 1})
	fmt.Println(len(rgb), len(landmarks), len(mask))
	// Output: 12288 22 4096
}
