package gan

import (
	"fmt"
	"math"

	"github.com/gomlx/gomlx/core/tensors"
)

// ModeCoverage summarizes how generated 2-D samples cover a mixture's modes.
type ModeCoverage struct {
	Modes        int     // number of modes of the target
	Covered      int     // modes holding at least MinShare of the samples within 3σ
	HighQuality  float64 // share of samples within 3σ of some mode
	PerMode      []int   // samples within 3σ of each mode
	MinShareUsed float64
}

func (c ModeCoverage) String() string {
	return fmt.Sprintf("%d of %d modes covered, %.1f%% of samples within 3σ of a mode", c.Covered, c.Modes, 100*c.HighQuality)
}

// CoverModes counts, for each mode, the samples within 3σ of it; a mode is covered when it holds
// at least minShare of all samples (a common choice: a quarter of its fair share,
// 0.25/len(modes)).
func CoverModes(samples [][2]float64, modes [][2]float64, sigma, minShare float64) ModeCoverage {
	c := ModeCoverage{Modes: len(modes), PerMode: make([]int, len(modes)), MinShareUsed: minShare}
	near := 0
	for _, s := range samples {
		best, bestD := -1, math.Inf(1)
		for i, m := range modes {
			if d := math.Hypot(s[0]-m[0], s[1]-m[1]); d < bestD {
				best, bestD = i, d
			}
		}
		if bestD <= 3*sigma {
			c.PerMode[best]++
			near++
		}
	}
	for _, n := range c.PerMode {
		if float64(n) >= minShare*float64(len(samples)) {
			c.Covered++
		}
	}
	if len(samples) > 0 {
		c.HighQuality = float64(near) / float64(len(samples))
	}
	return c
}

// Generate2D maps given noise z [n, LatentDim] through a 2-D generator. Unlike sampling fresh
// noise, it leaves the Store's RNG, and so the training noise, untouched.
func (m *Model) Generate2D(z *tensors.Tensor) ([][2]float64, error) {
	out, err := m.Generate(z)
	if err != nil {
		return nil, err
	}
	return points2D(out), nil
}

func points2D(out *tensors.Tensor) [][2]float64 {
	pts := make([][2]float64, out.Shape().Dimensions[0])
	tensors.MustConstFlatData[float32](out, func(flat []float32) {
		for i := range pts {
			pts[i] = [2]float64{float64(flat[2*i]), float64(flat[2*i+1])}
		}
	})
	return pts
}
