# ganlab: every target runs with the toolchain settings of scripts/env.sh.
#   make demo    the main job: train a small GAN and write its figures into out/
#   make test    everything the project checks (installs what is missing when it can)
#   make bench   benchmarks (go test -bench and the CLI's bench commands)
#   make deps    install Debian packages, Go modules (MNIST), the GoNB kernel
SHELL := /bin/bash
export GOTOOLCHAIN := go1.27.3
export GOEXPERIMENT := simd
export GOMLX_NO_AUTO_INSTALL := 1
export PATH := $(shell GOTOOLCHAIN=go1.27.3 go env GOPATH 2>/dev/null || echo $(HOME)/go)/bin:$(PATH)
# Tests and notebooks run on the pure-Go backend unless the caller chooses otherwise.
export GOMLX_BACKEND ?= go

GO ?= go
OUT ?= out

.PHONY: all build deps demo test test-notebook-sources test-go test-fuzz test-notebooks test-demo bench vet clean readme-figures notebooks-full bench-anchor pretrained thumbnails

all: build

build:
	@[ -x bin/ganlab ] || echo "building bin/ganlab: a first build compiles GoMLX and its kernels (about 4 minutes on 2 cores)"
	$(GO) build -o bin/ganlab ./cmd/ganlab

deps:
	scripts/deps.sh --prebuild

demo: build
	scripts/demo.sh $(OUT)

vet:
	$(GO) vet ./...
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi

test: deps vet test-notebook-sources test-go test-fuzz test-notebooks test-demo

# Each committed notebook's cells must equal its source (notebooks/src); the Go of every cell is
# gofmt-checked and compiled by the notebooks package's test in test-go.
test-notebook-sources:
	python3 notebooks/src/build.py --check

test-go:
	$(GO) test -count=1 -timeout 40m ./...

# A short fuzzing run of the input parsers (seed corpora in datasets/testdata/fuzz).
test-fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzReadIDX$$' -fuzztime 20s ./datasets
	$(GO) test -run '^$$' -fuzz '^FuzzLoadImageFile$$' -fuzztime 20s ./datasets

test-notebooks: build
	scripts/test-notebooks.sh

# make demo into a temporary directory: every step must succeed and write its outputs.
test-demo: build
	@d=$$(mktemp -d); scripts/demo.sh $$d > $$d.log 2>&1 || { tail -20 $$d.log; exit 1; }; \
	for f in theory.txt gan1d/figure1.png gan2d/modes.png dcgan/samples.png dcgan/metrics.json cgan/mnist-classes.png cgan/fashion-classes.png avatar/avatar.gif; do \
	  [ -s $$d/$$f ] || { echo "make demo did not write $$f"; exit 1; }; done; echo "test-demo: make demo wrote its outputs"; rm -rf $$d $$d.log

bench: build
	$(GO) test -run '^$$' -bench . -benchtime 5x ./...
	./bin/ganlab bench matmul -n 1024
	./bin/ganlab bench membw
	./bin/ganlab bench dcgan-step -batch 64 -steps 10
	./bin/ganlab bench dcgan-step -preset paper64 -width 64 -batch 64 -steps 5
	./bin/ganlab bench avatar

clean:
	rm -rf bin $(OUT)

# The notebooks' thumbnails in the README: the first (or "thumbnail"-tagged) image of each executed notebook.
thumbnails:
	python3 scripts/thumbnails.py

# The figures the README shows, regenerated from `make demo`'s outputs.
readme-figures: demo
	mkdir -p docs/figures
	cp $(OUT)/gan1d/figure1.png docs/figures/gan1d-figure1.png
	cp $(OUT)/gan2d/modes.png docs/figures/gan2d-modes.png
	cp $(OUT)/cgan/mnist-classes.png docs/figures/cgan-mnist-classes.png
	cp $(OUT)/cgan/fashion-classes.png docs/figures/cgan-fashion-classes.png
	cp $(OUT)/avatar/avatar.gif docs/figures/avatar.gif

# Execute every notebook in full (not quick) mode and store the outputs in place, for committing.
notebooks-full:
	scripts/test-notebooks.sh --full

# ganlab's DCGAN step against the PyTorch anchor (installs Debian's python3-torch if missing).
bench-anchor: build
	../shared/anchors/compare-dcgan-step.sh 64
	../shared/anchors/compare-dcgan-step.sh 256
	../shared/anchors/compare-paper64-step.sh 64 64

# Regenerate the shipped weights (pretrained/README.md lists the commands and seeds; ≈ 7 hours on 2 cores).
pretrained: build
	./bin/ganlab train classifier -dataset mnist -out pretrained/classifier-mnist.gob
	./bin/ganlab train classifier -dataset fashion -flip -shift 2 -width 64 -epochs 12 -out pretrained/classifier-fashion.gob
	./bin/ganlab train classifier -dataset heads-identity -width 16 -epochs 15 -out pretrained/classifier-heads-identity.gob
	./bin/ganlab train classifier -dataset heads-attributes -width 16 -epochs 12 -shift 0 -flip -bfloat16 -out pretrained/classifier-heads-attributes.gob
	rm -rf $(OUT)/dcgan-mnist-w128
	./bin/ganlab train dcgan -preset paper -size 32 -width 128 -dataset mnist -simultaneous -steps 12000 -seed 1 -checkpoint-every 1000 -keep 20 -out $(OUT)/dcgan-mnist-w128
	./bin/ganlab train dcgan -preset paper -size 32 -width 128 -dataset mnist -simultaneous -steps 20000 -seed 1 -checkpoint-every 1000 -keep 20 -out $(OUT)/dcgan-mnist-w128 -resume -lr-d 1e-4 -lr-g 1e-4
	./bin/ganlab export -bfloat16 -o pretrained/dcgan-mnist.gob $(OUT)/dcgan-mnist-w128/checkpoints/ckpt-00020000.gob
	./bin/ganlab sample dcgan -run $(OUT)/dcgan-mnist-w128 -o docs/figures/dcgan-mnist-progress.gif
	./bin/ganlab eval dcgan -run $(OUT)/dcgan-mnist-w128 -n 2000
	cp $(OUT)/dcgan-mnist-w128/score-curve.png docs/figures/dcgan-mnist-score.png
	rm -rf $(OUT)/dcgan-heads
	./bin/ganlab train dcgan -preset paper64 -dataset heads -width 64 -simultaneous -ema 0.99 -instance-noise 0.2 -instance-noise-steps 10000 -steps 9000 -seed 1 -checkpoint-every 250 -keep 60 -out $(OUT)/dcgan-heads
	./bin/ganlab export -bfloat16 -last-step -o pretrained/dcgan-heads.gob $(OUT)/dcgan-heads/checkpoints/ckpt-00009000.gob
	rm -rf $(OUT)/cgan-mnist $(OUT)/cgan-fashion $(OUT)/avatar-bilayer $(OUT)/avatar-baseline
	./bin/ganlab train cgan -arch mlp -dataset mnist -steps 30000 -seed 1 -checkpoint-every 2000 -out $(OUT)/cgan-mnist
	cp $(OUT)/cgan-mnist/generator.gob pretrained/cgan-mnist.gob
	./bin/ganlab train cgan -arch conv -dataset fashion -steps 10000 -seed 1 -ema 0.999 -checkpoint-every 1000 -keep 30 -out $(OUT)/cgan-fashion
	cp $(OUT)/cgan-fashion/generator.gob pretrained/cgan-fashion.gob
	./bin/ganlab train avatar -kind bilayer -width 32 -steps 9000 -seed 1 -checkpoint-every 250 -keep 40 -out $(OUT)/avatar-bilayer
	cp $(OUT)/avatar-bilayer/model.gob pretrained/avatar-bilayer.gob
	./bin/ganlab train avatar -kind baseline -steps 9000 -seed 1 -checkpoint-every 250 -keep 40 -out $(OUT)/avatar-baseline
	cp $(OUT)/avatar-baseline/model.gob pretrained/avatar-baseline.gob
