# Sourced by every script and the Makefile's recipes: the toolchain settings in one place.
export GOTOOLCHAIN=go1.27.3   # go.mod says go 1.27; the go command fetches this toolchain.
export GOEXPERIMENT=simd      # compiles the go backend's AVX2/AVX-512 kernels (~3x faster).
export GOMLX_NO_AUTO_INSTALL=1 # never download an XLA plugin behind the user's back.
export PATH="$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin:$PATH"
