package avatar_test

import (
	"fmt"

	"github.com/janpfeifer/must"

	"github.com/ganlab/ganlab/avatar"
	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/datasets"
)

// The one-shot API: Init once from a source frame and its landmarks, then Render any number of
// poses (a batch is one graph call). An untrained model here; `ganlab train avatar` trains one
// and pretrained.Path("avatar-bilayer.gob") is the shipped one.
func Example() {
	backend.Quiet()
	model := must.M1(avatar.New(backend.MustNew("go"), avatar.DefaultConfig(avatar.BiLayer)))
	heads := datasets.DefaultHeads()
	source, landmarks, _ := heads.Frame(heads.Train, datasets.HeadPose{}) // a held-out identity
	person := must.M1(model.Init(source, landmarks, nil))
	var poses [][][2]float64
	for _, p := range datasets.TalkingSequence(3, 1) {
		poses = append(poses, datasets.HeadLandmarks(heads.Identity(heads.Train), p, heads.Size))
	}
	frames := must.M1(person.Render(poses...))
	fmt.Println(len(person.Embedding), len(frames), len(frames[0]))
	// Output: 64 3 12288
}
