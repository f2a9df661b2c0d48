package blocks

import (
	"fmt"
	"math"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
)

// GaussianMatrix is the n×n matrix (row-major) of a 1-D Gaussian blur of standard deviation
// sigma pixels: row i holds the weights of the pixels around i, renormalised to sum to 1 where
// the kernel passes the border (no padding values are invented). A 2-D blur of an image is
// G·X·Gᵀ per channel ([GaussianBlur] in a graph, [BlurImage] in Go): the same numbers in both.
func GaussianMatrix(n int, sigma float64) []float32 {
	m := make([]float32, n*n)
	for i := range n {
		var sum float64
		row := make([]float64, n)
		for j := range n {
			if d := float64(j - i); math.Abs(d) <= 4*sigma {
				row[j] = math.Exp(-d * d / (2 * sigma * sigma))
				sum += row[j]
			}
		}
		for j, w := range row {
			m[i*n+j] = float32(w / sum)
		}
	}
	return m
}

// GaussianBlur blurs images [B, H, W, C] (H = W) with a Gaussian of sigma pixels, separably:
// two matrix products with [GaussianMatrix]. It has a gradient, so it can sit inside a model.
func GaussianBlur(x *Node, sigma float64) *Node {
	dims := x.Shape().Dimensions
	if x.Rank() != 4 || dims[1] != dims[2] {
		panic(fmt.Errorf("blocks.GaussianBlur: want square images [B,H,W,C], got %s", x.Shape()))
	}
	n := dims[1]
	return separable(x, GaussianMatrix(n, sigma), n, n)
}

// separable applies the rows×cols matrix m (row-major) to images [B, H, W, C] along H and then
// along W (H = W = cols): M·X·Mᵀ per channel. It is written as plain matrix products on
// reshaped images, so that the backend moves no data to put the contracted axis in place
// (Einsum's transposes cost more than the products on a 64×64 frame): along H, for one image,
// M·X with X as [H, W·C]; along W, X as [B·H, W·C] times Mᵀ ⊗ I_C, a [W·C, rows·C] matrix,
// when that matrix is small.
func separable(x *Node, m []float32, rows, cols int) *Node {
	g := x.Graph()
	dims := x.Shape().Dimensions
	b, c := dims[0], dims[3]
	k := ConvertDType(Const(g, m), x.DType())
	k = Reshape(k, rows, cols)
	if b == 1 {
		x = Reshape(Dot(k, Reshape(x, cols, cols*c)).Product(), 1, rows, cols, c) // along H
	} else {
		x = Einsum("ij,bjwc->biwc", k, x) // along H
	}
	if cols*c > maxKronWidth {
		return Einsum("bhjc,ij->bhic", x, k) // along W
	}
	kron := make([]float32, cols*c*rows*c) // (Mᵀ ⊗ I_C)[j·C+ch, i·C+ch] = M[i, j]
	for i := range rows {
		for j := range cols {
			for ch := range c {
				kron[(j*c+ch)*rows*c+i*c+ch] = m[i*cols+j]
			}
		}
	}
	kk := Reshape(ConvertDType(Const(g, kron), x.DType()), cols*c, rows*c)
	return Reshape(Dot(Reshape(x, b*rows, cols*c), kk).Product(), b, rows, rows, c) // along W
}

// maxKronWidth bounds the side of separable's Mᵀ ⊗ I_C matrix (its size grows as its square).
const maxKronWidth = 512

// BlurImage is [GaussianBlur] of one image [size·size·channels] (row-major) in Go.
func BlurImage(img []float32, size, channels int, sigma float64) []float32 {
	g := GaussianMatrix(size, sigma)
	tmp := make([]float32, len(img))
	out := make([]float32, len(img))
	for i := range size { // along H
		for j := range size {
			w := g[i*size+j]
			if w == 0 {
				continue
			}
			for x := range size * channels {
				tmp[i*size*channels+x] += w * img[j*size*channels+x]
			}
		}
	}
	for y := range size { // along W
		for i := range size {
			for j := range size {
				w := g[i*size+j]
				if w == 0 {
					continue
				}
				for c := range channels {
					out[(y*size+i)*channels+c] += w * tmp[(y*size+j)*channels+c]
				}
			}
		}
	}
	return out
}

// upsampleMatrix is the 2n×n matrix of linear interpolation to twice the size, with pixel
// centres aligned as in an image resize (half-pixel centres; the border pixels repeat).
func upsampleMatrix(n int) []float32 {
	m := make([]float32, 2*n*n)
	for i := range 2 * n {
		src := (float64(i)+0.5)/2 - 0.5 // position of output pixel i in input pixels
		lo := int(math.Floor(src))
		f := float32(src - float64(lo))
		m[i*n+min(max(lo, 0), n-1)] += 1 - f
		m[i*n+min(max(lo+1, 0), n-1)] += f
	}
	return m
}

// Upsample2x doubles the size of images [B, H, W, C] (H = W) by bilinear interpolation,
// separably: two matrix products. It has a gradient.
func Upsample2x(x *Node) *Node {
	dims := x.Shape().Dimensions
	if x.Rank() != 4 || dims[1] != dims[2] {
		panic(fmt.Errorf("blocks.Upsample2x: want square images [B,H,W,C], got %s", x.Shape()))
	}
	n := dims[1]
	return separable(x, upsampleMatrix(n), 2*n, n)
}
