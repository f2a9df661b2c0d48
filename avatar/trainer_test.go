package avatar

import (
	"context"
	"io"
	"reflect"
	"testing"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/gan"
)

// TestRunResumesExactly: gan.Run drives the avatar like the GANs; 2 steps, a checkpoint, and 2
// more from it give the losses of 4 straight steps, bit for bit.
func TestRunResumesExactly(t *testing.T) {
	c := DefaultConfig(BiLayer)
	c.Size, c.BatchSize = 32, 2
	run := func(dir string, steps int, resume bool) *Trainer {
		m, err := New(backend.MustNew("go"), c)
		if err != nil {
			t.Fatal(err)
		}
		tr := &Trainer{Model: m, Heads: smallHeads()}
		if _, err := gan.Run(context.Background(), tr, gan.RunOptions{Steps: steps, Dir: dir, Resume: resume, Progress: io.Discard, KeepSignals: true}); err != nil {
			t.Fatal(err)
		}
		return tr
	}
	losses := func(h []StepRecord) []StepRecord {
		out := append([]StepRecord(nil), h...)
		for i := range out {
			out[i].Seconds = 0
		}
		return out
	}
	straight := run(t.TempDir(), 4, false)
	dir := t.TempDir()
	run(dir, 2, false)
	resumed := run(dir, 4, true)
	if resumed.Step() != 4 || !reflect.DeepEqual(losses(straight.History), losses(resumed.History)) {
		t.Fatalf("resumed:\n%+v\nstraight:\n%+v", resumed.History, straight.History)
	}
}
