package plotting

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Default figure size.
const (
	DefaultWidth  = 6 * vg.Inch
	DefaultHeight = 4 * vg.Inch
	dpi           = 96
)

// Render draws plots side by side (one row; nil entries leave a gap) into an image of the given
// size per panel.
func Render(panelW, panelH vg.Length, plots ...*plot.Plot) image.Image {
	return RenderGrid(panelW, panelH, [][]*plot.Plot{plots})
}

// RenderGrid draws rows of plots, aligned, into one image.
func RenderGrid(panelW, panelH vg.Length, rows [][]*plot.Plot) image.Image {
	nRows, nCols := len(rows), 0
	for _, r := range rows {
		nCols = max(nCols, len(r))
	}
	canvas := vgimg.NewWith(vgimg.UseWH(panelW*vg.Length(nCols), panelH*vg.Length(nRows)), vgimg.UseDPI(dpi))
	dc := draw.New(canvas)
	tiles := draw.Tiles{Rows: nRows, Cols: nCols, PadX: vg.Millimeter, PadY: vg.Millimeter,
		PadTop: vg.Millimeter, PadBottom: vg.Millimeter, PadLeft: vg.Millimeter, PadRight: vg.Millimeter}
	padded := make([][]*plot.Plot, nRows)
	for i, r := range rows {
		padded[i] = make([]*plot.Plot, nCols)
		copy(padded[i], r)
	}
	for i := range padded {
		for j, p := range padded[i] {
			padded[i][j] = withLegendRoom(p, panelH)
		}
	}
	canvases := plot.Align(padded, tiles, dc)
	for i := range padded {
		for j, p := range padded[i] {
			if p != nil {
				p.Draw(canvases[i][j])
			}
		}
	}
	return canvas.Image()
}

// withLegendRoom returns a copy of p whose y axis is raised so that the curves stay below a
// legend in the top corner of a panel of height h: the legend's entries take a band at the top
// and the data range fills the rest. p itself is unchanged, so a plot can be drawn again.
func withLegendRoom(p *plot.Plot, h vg.Length) *plot.Plot {
	if p == nil || !p.Legend.Top || p.Y.Scale != nil && !isLinear(p.Y.Scale) {
		return p
	}
	r := p.Legend.Rectangle(draw.Canvas{})
	band := r.Max.Y - r.Min.Y - p.Legend.YOffs + 2*vg.Millimeter
	plotArea := h * 0.78 // without the title and the x axis
	f := float64(band / plotArea)
	if r.Max.Y == r.Min.Y || f >= 0.6 {
		return p
	}
	q := *p
	q.Y.Max = p.Y.Min + (p.Y.Max-p.Y.Min)/(1-f)
	return &q
}

func isLinear(s plot.Normalizer) bool {
	_, ok := s.(plot.LinearScale)
	return ok
}

// PNG encodes an image.
func PNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Save writes a plot to path as PNG or SVG (by extension) at the default size.
func Save(path string, p *plot.Plot) error {
	return SaveSized(path, p, DefaultWidth, DefaultHeight)
}

// SaveSized writes a plot to path as PNG or SVG (by extension).
func SaveSized(path string, p *plot.Plot, w, h vg.Length) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png", ".svg", ".pdf":
		return withLegendRoom(p, h).Save(w, h, path)
	}
	return fmt.Errorf("figure %s: want a .png, .svg or .pdf file name", path)
}

// SaveImages writes each image as PNG to dir/name.
func SaveImages(dir string, images map[string]image.Image) error {
	for name, img := range images {
		if err := SaveImage(filepath.Join(dir, name), img); err != nil {
			return err
		}
	}
	return nil
}

// SaveImage writes an image as PNG.
func SaveImage(path string, img image.Image) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	data, err := PNG(img)
	if err != nil {
		return fmt.Errorf("figure %s: %w", path, err)
	}
	return os.WriteFile(path, data, 0o644)
}

// SaveGIF writes frames as an animated GIF file ([GIF]: delay in 1/100 s per frame, looping).
func SaveGIF(path string, frames []image.Image, delay int) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := GIF(&buf, frames, delay); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// Show displays an image (a rendered figure, a sample grid) inline when running in a GoNB
// notebook; elsewhere it does nothing and returns nil.
func Show(img image.Image) error {
	if !gonbui.IsNotebook {
		return nil
	}
	err := gonbui.DisplayImage(img)
	// A GoNB cell is a program; when it exits right after a display, GoNB may close the
	// display pipe before reading the image (seen in CI: a figure missing from a cell).
	// Sync waits until GoNB has dispatched everything sent so far.
	gonbui.Sync()
	return err
}

// ShowPlots renders plots side by side at the default size and shows them.
func ShowPlots(plots ...*plot.Plot) error {
	return Show(Render(DefaultWidth, DefaultHeight, plots...))
}

// ShowGIF displays an animated GIF (as produced by GIF) inline in a GoNB notebook.
func ShowGIF(data []byte) {
	if !gonbui.IsNotebook {
		return
	}
	gonbui.DisplayHTML(`<img src="data:image/gif;base64,` + base64.StdEncoding.EncodeToString(data) + `"/>`)
	gonbui.Sync() // see Show
}
