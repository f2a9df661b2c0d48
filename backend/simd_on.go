//go:build goexperiment.simd

package backend

// SIMD reports whether this binary was built with GOEXPERIMENT=simd, which compiles the go
// backend's AVX2/AVX-512 kernels (about 3x faster training here).
const SIMD = true
