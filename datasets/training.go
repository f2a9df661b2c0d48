package datasets

import (
	"fmt"
	"math/rand/v2"
)

// TrainingName returns the canonical name of a set that TrainingImages draws from: "mnist",
// "fashion" (also "fashion-mnist") or "heads".
func TrainingName(name string) (string, error) {
	if name == "heads" {
		return name, nil
	}
	if canonical, err := LabelledName(name); err == nil && canonical != "heads-identity" {
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
