#!/usr/bin/env bash
# make demo: the GAN theory check, a 1-D GAN reproducing Goodfellow et al.'s Figure 1 from real
# training, a 2-D ring of Gaussians with its mode coverage, and samples and metrics of the shipped
# pretrained DCGAN-MNIST generator; everything lands in $1 (out/).
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
echo
echo "demo outputs:"
echo "  $out/theory.txt          V(D*,G) = 2·JS − 2·log 2, checked numerically"
echo "  $out/gan1d/figure1.png   Figure 1 of the GAN paper, from a real 1-D run"
echo "  $out/gan1d/training.png  losses, D outputs, gradient norms"
echo "  $out/gan2d/modes.png     ring of 8 Gaussians: samples over time and modes covered"
echo "  $out/dcgan/samples.png    64 samples of the pretrained DCGAN-MNIST generator"
echo "  $out/dcgan/metrics.txt    its classifier score, Fréchet classifier distance, class shares, beside real images"
echo "  $out/*/history.csv       per-step history; $out/*/checkpoints/ resumable checkpoints"
