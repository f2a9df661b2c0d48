package pretrained

import (
	"os"
	"testing"
)

// TestBudget: every shipped file is extractable, and all of them together stay within the
// 60 MB the project allows for shipped weights (issue #17 raised it from 40 MB).
func TestBudget(t *testing.T) {
	total := 0
	for _, name := range Names() {
		data, err := files.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		total += len(data)
		path, err := Path(name)
		if err != nil {
			t.Fatal(err)
		}
		if st, err := os.Stat(path); err != nil || st.Size() != int64(len(data)) {
			t.Fatalf("%s extracted to %s: %v", name, path, err)
		}
	}
	if total > 60_000_000 {
		t.Errorf("shipped files total %d bytes, over the 60 MB budget", total)
	}
	if _, err := Path("nope.gob"); err == nil {
		t.Error("a file that is not shipped was found")
	}
}
