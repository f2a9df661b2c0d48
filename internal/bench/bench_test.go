package bench

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/dcgan"
)

func TestResultLineAndJSON(t *testing.T) {
	r := Result{Name: "dcgan-step"}.Add("preset", "paper", "%s").Add("batch", 64, "%d").Add("median_ms", 12.345, "%.1f")
	if got, want := r.String(), "dcgan-step preset=paper batch=64 median_ms=12.3"; got != want {
		t.Errorf("line %q, want %q", got, want)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"bench":"dcgan-step","preset":"paper","batch":64,"median_ms":12.345}`; got != want {
		t.Errorf("JSON %s, want %s (fields in order, values unrounded)", got, want)
	}
}

// TestDCGANStepTimesThePaperModel runs the paper64 bench at a small width: the line names the
// model it timed, and the anchor scripts' median_ms= is there.
func TestDCGANStepTimesThePaperModel(t *testing.T) {
	backend.Quiet()
	c := dcgan.Paper64()
	c.BaseWidth = 8
	r, err := DCGANStep(backend.MustNew("go"), c, 2, 1, 2, "")
	if err != nil {
		t.Fatal(err)
	}
	line := r.String()
	for _, want := range []string{"dcgan-step preset=paper size=64 width=8 batch=2 ", " median_ms="} {
		if !strings.Contains(line, want) {
			t.Errorf("line %q lacks %q", line, want)
		}
	}
}
