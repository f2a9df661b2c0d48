package dcgan

import (
	"fmt"
	"image"
	"math"

	"github.com/gomlx/compute"

	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/plotting"
)

// CheckpointFrames draws, for each checkpoint file of one run (oldest first), the grid that the
// run's progress.gif shows: the 64 fixed-noise samples of gan.ProgressGrid. A resumed run
// rewrites progress.gif with its own steps only; these frames cover every kept checkpoint.
// done, if set, is called after each file with its index and step.
func CheckpointFrames(backend compute.Backend, files []string, done func(i, step int)) ([]image.Image, error) {
	var frames []image.Image
	var grid func(*gan.Model) (image.Image, error)
	for i, path := range files {
		m, c, err := LoadGenerator(backend, path)
		if err != nil {
			return nil, err
		}
		if grid == nil {
			if grid, err = gan.ProgressGrid(m.Config.LatentDim, c.ImageSize, c.ImageSize, c.Channels); err != nil {
				return nil, err
			}
		}
		img, err := grid(m)
		if err != nil {
			return nil, err
		}
		frames = append(frames, img)
		if done != nil {
			done(i, m.Step())
		}
	}
	return frames, nil
}

// RunGIF writes CheckpointsGIF of every checkpoint of the training run (or checkpoint
// directory) dir, oldest first, and returns how many frames it wrote; a run without checkpoints
// is an error wrapping ErrNoCheckpoints. done, if set, hears each frame (i of count).
func RunGIF(backend compute.Backend, dir, out string, done func(i, count, step int)) (int, error) {
	files := gan.NewestCheckpoints(dir, math.MaxInt)
	if len(files) == 0 {
		return 0, fmt.Errorf("%w in %s", ErrNoCheckpoints, gan.CheckpointDir(dir))
	}
	return len(files), CheckpointsGIF(backend, files, out, func(i, step int) {
		if done != nil {
			done(i, len(files), step)
		}
	})
}

// CheckpointsGIF writes CheckpointFrames of files to the GIF out.
func CheckpointsGIF(backend compute.Backend, files []string, out string, done func(i, step int)) error {
	frames, err := CheckpointFrames(backend, files, done)
	if err != nil {
		return err
	}
	return plotting.SaveGIF(out, frames, 30)
}
