package plotting

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Series is one named line.
type Series struct {
	Name string
	X, Y []float64
}

// Palette used for lines, in order.
var Palette = []color.Color{
	color.RGBA{31, 119, 180, 255}, color.RGBA{214, 39, 40, 255}, color.RGBA{44, 160, 44, 255},
	color.RGBA{255, 127, 14, 255}, color.RGBA{148, 103, 189, 255}, color.RGBA{140, 86, 75, 255},
}

// Smooth returns the trailing moving average of y over window points (window ≤ 1: a copy).
func Smooth(y []float64, window int) []float64 {
	out := make([]float64, len(y))
	sum := 0.0
	for i, v := range y {
		sum += v
		if window > 1 && i >= window {
			sum -= y[i-window]
		}
		n := min(i+1, max(window, 1))
		out[i] = sum / float64(n)
	}
	return out
}

// Curves plots the series as lines; smoothing > 1 draws each raw series faintly and its moving
// average over that many points on top.
func Curves(title, xLabel, yLabel string, smoothing int, series ...Series) *plot.Plot {
	p := plot.New()
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = title, xLabel, yLabel
	p.Add(plotter.NewGrid())
	for i, s := range series {
		c := Palette[i%len(Palette)]
		if smoothing > 1 {
			raw := line(s.X, s.Y)
			r, g, b, _ := c.RGBA()
			raw.Color = color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 60}
			p.Add(raw)
		}
		y := s.Y
		if smoothing > 1 {
			y = Smooth(s.Y, smoothing)
		}
		l := line(s.X, y)
		l.Color = c
		l.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(s.Name, l)
	}
	p.Legend.Top = true
	return p
}

func line(x, y []float64) *plotter.Line {
	pts := make(plotter.XYs, len(x))
	for i := range x {
		pts[i].X, pts[i].Y = x[i], y[i]
	}
	l, err := plotter.NewLine(pts)
	if err != nil { // only for NaN/Inf values: draw nothing rather than fail a report
		l, _ = plotter.NewLine(plotter.XYs{})
	}
	return l
}

// HorizontalLine adds a dashed reference line at y (e.g. D = 1/2, −log 4).
func HorizontalLine(p *plot.Plot, y float64, label string) {
	xmin, xmax := p.X.Min, p.X.Max
	l := line([]float64{xmin, xmax}, []float64{y, y})
	l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	l.Color = color.Gray{120}
	p.Add(l)
	if label != "" {
		p.Legend.Add(label, l)
	}
}
