package gan

import (
	"image"
	"os"
	"path/filepath"

	"github.com/ganlab/ganlab/plotting"
)

// ProgressNoiseSeed seeds the 64 fixed noise vectors of an image run's progress grid.
const ProgressNoiseSeed = 12345

// ProgressGrid returns the frame of an image run's progress.gif and samples.png: the 8×8 grid
// of a model's images [h, w, c] for 64 fixed noise vectors (seed ProgressNoiseSeed), the same for
// every step of a run and for every checkpoint of it (dcgan.CheckpointsGIF).
func ProgressGrid(latentDim, h, w, c int) (func(m *Model) (image.Image, error), error) {
	z, err := FixedNoise(64, latentDim, ProgressNoiseSeed)
	if err != nil {
		return nil, err
	}
	return func(m *Model) (image.Image, error) {
		out, err := m.Generate(z)
		if err != nil {
			return nil, err
		}
		return ImageGridOf(out, h, w, c, 8)
	}, nil
}

// ImageProgress collects the frames of an image run's progress.gif: grid() at step 1 and every
// steps/20 steps. Pass its OnStep to RunOptions.OnStep; Save writes the figures at the end.
type ImageProgress struct {
	grid   func() (image.Image, error)
	every  int
	Frames []image.Image
}

// NewImageProgress records grid() over a run of steps generator steps.
func NewImageProgress(grid func() (image.Image, error), steps int) *ImageProgress {
	return &ImageProgress{grid: grid, every: max(steps/20, 1)}
}

// OnStep adds a frame at the steps it records.
func (p *ImageProgress) OnStep(step int) error {
	if step%p.every != 0 && step != 1 {
		return nil
	}
	img, err := p.grid()
	if err == nil {
		p.Frames = append(p.Frames, img)
	}
	return err
}

// Save writes what an image run leaves in dir: samples.png (grid() now), progress.gif (the
// frames, when any), training.png (the curves of m's history) and generator.gob (m's generator,
// with its discriminator too when withDiscriminator; the file `ganlab sample` reads). It returns
// the paths of samples.png and generator.gob. A model trained with Config.EMADecay first takes
// its moving average (PreferMovingAverage), so that samples.png and generator.gob show what the
// run's evaluations and exports measure; save the run's checkpoint before calling Save.
func (p *ImageProgress) Save(dir string, m *Model, withDiscriminator bool) (samples, generator string, err error) {
	if err := m.PreferMovingAverage(); err != nil {
		return "", "", err
	}
	img, err := p.grid()
	if err != nil {
		return "", "", err
	}
	samples, generator = filepath.Join(dir, "samples.png"), filepath.Join(dir, "generator.gob")
	if err := plotting.SaveImages(dir, map[string]image.Image{"samples.png": img, "training.png": m.History.TrainingFigure(100)}); err != nil {
		return "", "", err
	}
	if len(p.Frames) > 0 {
		if err := plotting.SaveGIF(filepath.Join(dir, "progress.gif"), p.Frames, 30); err != nil {
			return "", "", err
		}
	}
	return samples, generator, m.SaveModels(generator, m.Name, withDiscriminator)
}

// WriteFiles writes the history to dir/history.csv and dir/history.json.
func (h *History) WriteFiles(dir string) error {
	for name, write := range map[string]func(*os.File) error{
		"history.csv":  func(w *os.File) error { return h.WriteCSV(w) },
		"history.json": func(w *os.File) error { return h.WriteJSON(w) },
	} {
		fh, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if err := write(fh); err != nil {
			fh.Close()
			return err
		}
		if err := fh.Close(); err != nil {
			return err
		}
	}
	return nil
}
