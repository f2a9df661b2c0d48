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

// labelledDatasets maps each -dataset name (and alias) to its canonical name and loader.
var labelledDatasets = map[string]struct {
	name string
	load func(split datasets.Split) (*datasets.ImageSet, error)
}{
	"mnist":         {"mnist", datasets.LoadMNIST},
	"fashion":       {"fashion", func(s datasets.Split) (*datasets.ImageSet, error) { return datasets.LoadFashionMNIST("", s) }},
	"fashion-mnist": {"fashion", func(s datasets.Split) (*datasets.ImageSet, error) { return datasets.LoadFashionMNIST("", s) }},
}

// datasetName returns the canonical name of a labelled dataset (mnist, fashion).
func datasetName(dataset string) (string, error) {
	d, ok := labelledDatasets[dataset]
	if !ok {
		return "", cli.Usagef("unknown dataset %q (want mnist or fashion)", dataset)
	}
	return d.name, nil
}

// loadDataset loads one split of a labelled dataset named on the command line.
func loadDataset(dataset string, split datasets.Split) (*datasets.ImageSet, error) {
	if _, err := datasetName(dataset); err != nil {
		return nil, err
	}
	return labelledDatasets[dataset].load(split)
}

// loadLabelled loads both splits of a labelled dataset and returns its canonical name.
func loadLabelled(dataset string) (name string, train, test *datasets.ImageSet, err error) {
	if name, err = datasetName(dataset); err != nil {
		return "", nil, nil, err
	}
	if train, err = loadDataset(dataset, datasets.Train); err == nil {
		test, err = loadDataset(dataset, datasets.Test)
	}
	return name, train, test, err
}

// Shipped files (pretrained.Path) by what they are.
func shippedDCGAN() string                    { return "dcgan-mnist.gob" }
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
