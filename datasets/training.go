package datasets

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// TrainingName returns the canonical name of a set that TrainingImages draws from: "mnist",
// "fashion" (also "fashion-mnist") or "heads".
func TrainingName(name string) (string, error) {
	if name == "heads" {
		return name, nil
	}
	if canonical, err := LabelledName(name); err == nil && !strings.HasPrefix(canonical, "heads-") {
		return canonical, nil
	}
	return "", fmt.Errorf("unknown dataset %q (want mnist, fashion or heads)", name)
}

// TrainingImages returns n distinct images drawn at random (seeded) from a training set: MNIST's
// or Fashion-MNIST's 60 000 training images (28×28×1, labelled), or the HeadsTrainingFrames
// frames DCGAN trains on by default (DefaultHeads, 64×64×3; only the n drawn are rendered). They
// are the real counterpart of a generator's samples.
func TrainingImages(name string, n int, seed uint64) (*ImageSet, error) {
	name, err := TrainingName(name)
	if err != nil {
		return nil, err
	}
	total := HeadsTrainingFrames
	var set *ImageSet
	if name != "heads" {
		if set, err = LoadLabelled(name, Train); err != nil {
			return nil, err
		}
		total = set.N
	}
	if n < 1 || n > total {
		return nil, fmt.Errorf("%s: %d images requested, want 1…%d", name, n, total)
	}
	picked := rand.New(rand.NewPCG(seed, 11)).Perm(total)[:n]
	if set == nil {
		return DefaultHeads().ImageSubset(total, picked)
	}
	return set.Select(picked), nil
}

// DisjointTrainingImages returns two draws of n training images with no image in both (2n distinct
// images, as TrainingImages draws them, split in half): real images to measure beside a
// generator's samples, and the reference that both are measured against, so that the real
// images' distance is the floor a generator's is compared with at the same n.
func DisjointTrainingImages(name string, n int, seed uint64) (first, second *ImageSet, err error) {
	set, err := TrainingImages(name, 2*n, seed)
	if err != nil {
		return nil, nil, fmt.Errorf("%w (two disjoint draws of %d)", err, n)
	}
	firstHalf, secondHalf := make([]int, n), make([]int, n)
	for i := range n {
		firstHalf[i], secondHalf[i] = i, n+i
	}
	return set.Select(firstHalf), set.Select(secondHalf), nil
}
