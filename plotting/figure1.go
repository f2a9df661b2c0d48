package plotting

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Figure1Data is one panel of Goodfellow et al. 2014, Figure 1.
type Figure1Data struct {
	Title string
	X     []float64 // grid
	PData []float64 // data density (dotted black)
	PG    []float64 // generator density (solid green)
	D     []float64 // discriminator (dashed blue)
	Z, GZ []float64 // z values and G(z): the mapping drawn below the densities
}

var (
	black = color.Black
	green = color.RGBA{0, 150, 0, 255}
	blue  = color.RGBA{0, 70, 220, 255}
)

// Figure1Panel draws the densities and D on the top 3/4 of the panel and, below, the z → x
// mapping: z on a lower line, x = G(z) on an upper line, joined by arrows (lines), as in the
// paper — where the lines crowd, p_g is high.
func Figure1Panel(d Figure1Data) *plot.Plot {
	p := plot.New()
	p.Title.Text = d.Title
	p.X.Label.Text = "x"
	yMax := 1.0
	for i := range d.X {
		yMax = math.Max(yMax, math.Max(d.PData[i], d.PG[i]))
	}
	// The mapping occupies y ∈ [−0.6, −0.1]·yMax: z line at the bottom, x line on top.
	zLine, xLine := -0.6*yMax, -0.15*yMax
	xmin, xmax := d.X[0], d.X[len(d.X)-1]
	zmin, zmax := math.Inf(1), math.Inf(-1)
	for _, z := range d.Z {
		zmin, zmax = math.Min(zmin, z), math.Max(zmax, z)
	}
	zToX := func(z float64) float64 { // place z values across the x range for display
		if zmax == zmin {
			return (xmin + xmax) / 2
		}
		return xmin + (xmax-xmin)*(0.15+0.7*(z-zmin)/(zmax-zmin))
	}
	mapping := len(d.Z) > 0
	for _, y := range []float64{zLine, xLine} {
		if !mapping {
			break
		}
		l := line([]float64{xmin, xmax}, []float64{y, y})
		l.Color = color.Gray{100}
		p.Add(l)
	}
	for i := range d.Z {
		l := line([]float64{zToX(d.Z[i]), d.GZ[i]}, []float64{zLine, xLine})
		l.Color = color.Gray{80}
		l.Width = vg.Points(0.6)
		p.Add(l)
	}
	lab, _ := plotter.NewLabels(plotter.XYLabels{
		XYs:    plotter.XYs{{X: xmin, Y: zLine}, {X: xmin, Y: xLine}},
		Labels: []string{"z", "x"},
	})
	if mapping {
		p.Add(lab)
	}

	data := line(d.X, d.PData)
	data.Color, data.Width = black, vg.Points(1.6)
	data.Dashes = []vg.Length{vg.Points(1), vg.Points(2.5)}
	gen := line(d.X, d.PG)
	gen.Color, gen.Width = green, vg.Points(1.6)
	disc := line(d.X, d.D)
	disc.Color, disc.Width = blue, vg.Points(1.6)
	disc.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	p.Add(data, gen, disc)
	p.Legend.Add("p_data", data)
	p.Legend.Add("p_g", gen)
	p.Legend.Add("D", disc)
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.TextStyle.Font.Size = vg.Points(8)
	p.Y.Min, p.Y.Max = -0.7*yMax, 1.05*yMax
	if !mapping {
		p.Y.Min = -0.03 * yMax
	}
	p.X.Min, p.X.Max = xmin, xmax
	p.Y.Tick.Marker = positiveTicks{}
	return p
}

// positiveTicks hides the ticks of the mapping area below 0.
type positiveTicks struct{}

func (positiveTicks) Ticks(min, max float64) []plot.Tick {
	var out []plot.Tick
	for _, t := range (plot.DefaultTicks{}).Ticks(min, max) {
		if t.Value >= 0 {
			out = append(out, t)
		}
	}
	return out
}

// Figure1 renders panels side by side, as the paper's (a)–(d).
func Figure1(panels ...Figure1Data) image.Image {
	plots := make([]*plot.Plot, len(panels))
	for i, d := range panels {
		if d.Title == "" {
			d.Title = fmt.Sprintf("(%c)", 'a'+i)
		}
		plots[i] = Figure1Panel(d)
	}
	return Render(4*vg.Inch, 3.6*vg.Inch, plots...)
}

// Scatter2D plots generated points (small, translucent) over the target's modes (crosses), with
// circles of radius r (e.g. 3σ) around the modes.
func Scatter2D(title string, points [][2]float64, modes [][2]float64, r float64) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	pts := make(plotter.XYs, len(points))
	for i, q := range points {
		pts[i].X, pts[i].Y = q[0], q[1]
	}
	s, _ := plotter.NewScatter(pts)
	s.GlyphStyle.Color = color.NRGBA{0, 120, 0, 90}
	s.GlyphStyle.Radius = vg.Points(1.2)
	s.GlyphStyle.Shape = draw.CircleGlyph{}
	p.Add(s)
	m := make(plotter.XYs, len(modes))
	for i, q := range modes {
		m[i].X, m[i].Y = q[0], q[1]
		if r > 0 {
			xs, ys := make([]float64, 65), make([]float64, 65)
			for k := range xs {
				a := 2 * math.Pi * float64(k) / 64
				xs[k], ys[k] = q[0]+r*math.Cos(a), q[1]+r*math.Sin(a)
			}
			c := line(xs, ys)
			c.Color = color.Gray{140}
			p.Add(c)
		}
	}
	ms, _ := plotter.NewScatter(m)
	ms.GlyphStyle.Shape = draw.CrossGlyph{}
	ms.GlyphStyle.Color = color.Black
	ms.GlyphStyle.Radius = vg.Points(4)
	p.Add(ms)
	p.Legend.Add("G(z)", s)
	p.Legend.Add("modes", ms)
	p.X.Label.Text, p.Y.Label.Text = "x₁", "x₂"
	return p
}
