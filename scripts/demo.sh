#!/usr/bin/env bash
# make demo: the GAN theory check, a 1-D GAN reproducing Goodfellow et al.'s Figure 1 from real
# training, a 2-D ring of Gaussians with its mode coverage, and samples and metrics of the shipped
# pretrained DCGAN-MNIST generator, class grids of the shipped conditional generators and an
# animation of the shipped bi-layer avatar; everything lands in $1 (out/).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
out=${1:-out}
mkdir -p "$out"
bin=./bin/ganlab
[ -x "$bin" ] || go build -o "$bin" ./cmd/ganlab
"$bin" theory | tee "$out/theory.txt"
rm -rf "$out/gan1d" "$out/gan2d"   # a demo starts fresh (train refuses to overwrite checkpoints)
"$bin" train gan1d -out "$out/gan1d"
"$bin" train gan2d -out "$out/gan2d"
mkdir -p "$out/dcgan"
"$bin" sample dcgan -n 64 -o "$out/dcgan/samples.png"          # the shipped pretrained DCGAN-MNIST
"$bin" eval dcgan -n 2000 -json "$out/dcgan/metrics.json" | tee "$out/dcgan/metrics.txt"
mkdir -p "$out/cgan" "$out/avatar"
"$bin" sample cgan -dataset mnist -n 120 -o "$out/cgan/mnist-classes.png"      # shipped conditional generators: one row per class
"$bin" sample cgan -dataset fashion -n 120 -o "$out/cgan/fashion-classes.png"
"$bin" avatar -source heads:460 -frames 48 -o "$out/avatar/avatar.gif"         # the shipped bi-layer avatar, a held-out face
echo
echo "demo outputs:"
echo "  $out/theory.txt          V(D*,G) = 2·JS − 2·log 2, checked numerically"
echo "  $out/gan1d/figure1.png   Figure 1 of the GAN paper, from a real 1-D run"
echo "  $out/gan1d/training.png  losses, D outputs, gradient norms"
echo "  $out/gan2d/modes.png     ring of 8 Gaussians: samples over time and modes covered"
echo "  $out/dcgan/samples.png    64 samples of the pretrained DCGAN-MNIST generator"
echo "  $out/dcgan/metrics.txt    its classifier score, Fréchet classifier distance, class shares, beside real images"
echo "  $out/cgan/*-classes.png  the shipped conditional generators: one row per class, the same z down each column"
echo "  $out/avatar/avatar.gif    a held-out face animated by the shipped bi-layer avatar: its source frame left, the avatar right"
echo "  $out/*/history.csv       per-step history; $out/*/checkpoints/ resumable checkpoints"
