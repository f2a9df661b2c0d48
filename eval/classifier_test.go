package eval

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/datasets"
)

// TestClassifierTrainsSavesAndLoads: a short training on 3000 MNIST images already classifies
// the test images far above chance; Save/Load reproduce its predictions exactly; the real test
// images' classifier score is high and their Fréchet distance to their own Gaussian is 0.
func TestClassifierTrainsSavesAndLoads(t *testing.T) {
	train, err := datasets.LoadMNIST(datasets.Train)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	test, err := datasets.LoadMNIST(datasets.Test)
	if err != nil {
		t.Fatal(err)
	}
	backend.Quiet()
	b := backend.MustNew("go")
	cfg := DefaultClassifierConfig()
	cfg.Epochs, cfg.Shift = 1, 0 // one quick epoch; augmentation only pays off over longer training
	c, err := TrainClassifier(b, "mnist", train.Subset(3000), test.Subset(1000), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.TestAccuracy < 0.8 {
		t.Fatalf("test accuracy %.3f after a short training", c.TestAccuracy)
	}
	path := filepath.Join(t.TempDir(), "c.gob")
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadClassifier(b, path)
	if err != nil {
		t.Fatal(err)
	}
	images := SetTensor(test, 200)
	p1, f1, _ := c.Predict(images)
	p2, f2, err := loaded.Predict(images)
	if err != nil {
		t.Fatal(err)
	}
	for i := range p1 {
		for j := range p1[i] {
			if p1[i][j] != p2[i][j] {
				t.Fatalf("loaded classifier predicts differently at %d,%d", i, j)
			}
		}
		if f1[i][0] != f2[i][0] {
			t.Fatal("loaded classifier's features differ")
		}
	}
	ref, err := c.Reference(images)
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Measure("real", images, ref, test.Labels[:200])
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("short training: test accuracy %.3f; on 200 test images: classifier score %.2f, label accuracy %.3f", c.TestAccuracy, r.ClassifierScore, *r.LabelAccuracy)
	if math.Abs(r.FCD) > 1e-3 || r.ClassifierScore < 5 || *r.LabelAccuracy < 0.8 {
		t.Fatalf("report on the reference images themselves: %+v", r)
	}
	var table strings.Builder
	WriteTable(&table, c.Classes, r)
	if !strings.Contains(table.String(), "Fréchet classifier distance") {
		t.Fatalf("table:\n%s", table.String())
	}
	if _, err := LoadClassifier(b, filepath.Join(t.TempDir(), "missing.gob")); err == nil {
		t.Fatal("missing classifier file accepted")
	}
	bad := filepath.Join(t.TempDir(), "bad.gob")
	os.WriteFile(bad, []byte("junk"), 0o644)
	if _, err := LoadClassifier(b, bad); err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Fatalf("corrupt classifier file: %v", err)
	}
}
