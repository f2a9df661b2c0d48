package datasets

import (
	"bytes"
	"testing"
)

// TestTrainingImagesAreADrawOfTheTrainingSet: n distinct training images, the same for the same
// seed and others for another; heads frames are those of the stream ImageSet renders.
func TestTrainingImagesAreADrawOfTheTrainingSet(t *testing.T) {
	train, err := LoadMNIST(Train)
	if err != nil {
		t.Fatal(err)
	}
	a, err := TrainingImages("mnist", 50, 3)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := TrainingImages("mnist", 50, 3)
	c, _ := TrainingImages("mnist", 50, 4)
	if a.N != 50 || a.H != 28 || a.C != 1 || len(a.Labels) != 50 {
		t.Fatalf("got %d images of %d×%d×%d with %d labels", a.N, a.H, a.W, a.C, len(a.Labels))
	}
	if !bytes.Equal(a.Pixels, b.Pixels) || bytes.Equal(a.Pixels, c.Pixels) {
		t.Fatal("the draw does not follow the seed")
	}
	size, index := a.ImageSize(), map[string]int{}
	for i := range train.N {
		index[string(train.Pixels[i*size:(i+1)*size])] = i
	}
	seen := map[int]bool{}
	for j := range a.N {
		i, ok := index[string(a.Pixels[j*size:(j+1)*size])]
		if !ok || seen[i] || train.Labels[i] != a.Labels[j] {
			t.Fatalf("image %d: in the training set %v, drawn twice %v", j, ok, seen[i])
		}
		seen[i] = true
	}
	if _, err := TrainingImages("mnist", train.N+1, 1); err == nil {
		t.Error("more images than the training set holds were accepted")
	}
	if _, err := TrainingImages("heads-identity", 1, 1); err == nil {
		t.Error("heads-identity is not a training set of a generator, but was accepted")
	}
	h := DefaultHeads()
	h.Size = 32
	all, err := h.ImageSet(12)
	if err != nil {
		t.Fatal(err)
	}
	some, err := h.ImageSubset(12, []int{7, 2})
	if err != nil {
		t.Fatal(err)
	}
	size = all.ImageSize()
	for j, k := range []int{7, 2} {
		if !bytes.Equal(some.Pixels[j*size:(j+1)*size], all.Pixels[k*size:(k+1)*size]) {
			t.Errorf("ImageSubset's frame %d differs from ImageSet's frame %d", j, k)
		}
	}
}

// TestDisjointTrainingImages: two draws of n with no image in common, together the draw of 2n.
func TestDisjointTrainingImages(t *testing.T) {
	first, second, err := DisjointTrainingImages("fashion", 300, 5)
	if err != nil {
		t.Fatal(err)
	}
	both, err := TrainingImages("fashion", 600, 5)
	if err != nil {
		t.Fatal(err)
	}
	size := first.ImageSize()
	if first.N != 300 || second.N != 300 || !bytes.Equal(append(append([]byte(nil), first.Pixels...), second.Pixels...), both.Pixels) {
		t.Fatalf("%d and %d images, not the halves of the draw of 600", first.N, second.N)
	}
	seen := map[string]bool{}
	for i := range first.N {
		seen[string(first.Pixels[i*size:(i+1)*size])] = true
	}
	for i := range second.N { // Fashion-MNIST has a few duplicate images; this seed's draw has none in common
		if seen[string(second.Pixels[i*size:(i+1)*size])] {
			t.Fatalf("image %d of the second draw is in the first", i)
		}
	}
	if _, _, err := DisjointTrainingImages("mnist", 30001, 1); err == nil {
		t.Error("2n more than the training set: want an error")
	}
}
