package main

import (
	"os"
	"path/filepath"

	"github.com/ganlab/ganlab/avatar"
	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/internal/cli"
	"github.com/ganlab/ganlab/pretrained"
)

// The targets of train, sample, eval and bench: each model's file registers its own in init.
var (
	trainers = cli.Targets{}
	samplers = cli.Targets{}
	evals    = cli.Targets{}
	benches  = cli.Targets{}
)

// The datasets and shipped models the command line names, in one place.

// labelled returns the canonical name of a labelled dataset's -dataset name.
func labelled(dataset string) (string, error) {
	name, err := datasets.LabelledName(dataset)
	if err != nil {
		return "", cli.Usagef("%v", err)
	}
	return name, nil
}

// loadSplit loads one split of a labelled dataset named on the command line.
func loadSplit(dataset string, split datasets.Split) (*datasets.ImageSet, error) {
	if _, err := labelled(dataset); err != nil {
		return nil, err
	}
	return datasets.LoadLabelled(dataset, split)
}

// loadLabelled loads both splits of a labelled dataset and returns its canonical name.
func loadLabelled(dataset string) (name string, train, test *datasets.ImageSet, err error) {
	if name, err = labelled(dataset); err == nil {
		if train, err = loadSplit(dataset, datasets.Train); err == nil {
			test, err = loadSplit(dataset, datasets.Test)
		}
	}
	return name, train, test, err
}

// Shipped files (pretrained.Path) by what they are.
func shippedDCGAN(dataset string) string      { return "dcgan-" + dataset + ".gob" }
func shippedCGAN(dataset string) string       { return "cgan-" + dataset + ".gob" }
func shippedClassifier(dataset string) string { return "classifier-" + dataset + ".gob" }
func shippedAvatar(kind avatar.Kind) string   { return "avatar-" + string(kind) + ".gob" }

// modelFile resolves a model flag: the shipped file when path is empty; a training output
// directory's generator.gob (or its checkpoints/ when there is no generator file yet); or path.
func modelFile(path, shipped string) (string, error) {
	if path == "" {
		return pretrained.Path(shipped)
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		for _, inside := range []string{"generator.gob", "checkpoints"} {
			if _, err := os.Stat(filepath.Join(path, inside)); err == nil {
				return filepath.Join(path, inside), nil
			}
		}
	}
	return path, nil
}
