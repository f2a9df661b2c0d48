package avatar_test

import (
	"testing"

	"github.com/ganlab/ganlab/avatar"
	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/datasets"
)

// benchmarkRender times Render of one frame (batch 1) with the default configuration of kind:
// the per-frame latency that `ganlab bench avatar` reports as per_frame_ms, without the quality
// metrics. An untrained model costs what a trained one does.
func benchmarkRender(b *testing.B, kind avatar.Kind) {
	backend.Quiet()
	m, err := avatar.New(backend.MustNew(""), avatar.DefaultConfig(kind))
	if err != nil {
		b.Fatal(err)
	}
	heads := datasets.DefaultHeads()
	src, srcLmk, _ := heads.Frame(heads.Train, datasets.HeadPose{})
	av, err := m.Init(src, srcLmk, nil)
	if err != nil {
		b.Fatal(err)
	}
	_, lmk, _ := heads.Frame(heads.Train, datasets.HeadPose{Yaw: 0.3, Mouth: 0.7})
	if _, err := av.Render(lmk); err != nil { // compiles
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := av.Render(lmk); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderBiLayer(b *testing.B) { benchmarkRender(b, avatar.BiLayer) }

func BenchmarkRenderBaseline(b *testing.B) { benchmarkRender(b, avatar.Baseline) }
