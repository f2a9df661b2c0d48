package avatar

import (
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/plotting"
)

// ErrSpec marks a malformed source or driving specification (a usage mistake).
var ErrSpec = errors.New("malformed specification")

// ReadSource reads a source face at size×size: "heads:ID" (identity ID of the procedural
// population, neutral pose; identities 400… are held out of training) or a PNG/JPEG whose
// landmarks are a JSON list of [x, y] pairs in a file beside it (same name, .json). It returns
// the image [S·S·3] in [0, 1], its landmarks, and the identity whose face a "talk" sequence
// should follow (ID, or 0 for a file).
func ReadSource(spec string, size int) (img []float32, lmk [][2]float64, identity int, err error) {
	heads := datasets.DefaultHeads()
	heads.Size = size
	if rest, ok := strings.CutPrefix(spec, "heads:"); ok {
		id, err := strconv.Atoi(rest)
		if err != nil || id < 0 {
			return nil, nil, 0, fmt.Errorf("%w: -source %q: want heads:<identity number ≥ 0>", ErrSpec, spec)
		}
		img, lmk, _ = heads.Frame(id, datasets.HeadPose{})
		return img, lmk, id, nil
	}
	rgba, err := datasets.LoadImageFile(spec, size)
	if err != nil {
		return nil, nil, 0, err
	}
	lmPath := strings.TrimSuffix(spec, filepath.Ext(spec)) + ".json"
	data, err := os.ReadFile(lmPath)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("-source %s: its landmarks: %w (write them as a JSON list of %d [x, y] pairs)", spec, err, datasets.NumHeadLandmarks)
	}
	if err := json.Unmarshal(data, &lmk); err != nil {
		return nil, nil, 0, fmt.Errorf("%s: %w", lmPath, err)
	}
	img = make([]float32, 0, size*size*3)
	for y := range size {
		for x := range size {
			c := rgba.RGBAAt(x, y)
			img = append(img, float32(c.R)/255, float32(c.G)/255, float32(c.B)/255)
		}
	}
	return img, lmk, 0, nil
}

// DrivingSequence reads the motion that drives an avatar: "talk[:SEED]" (frames poses of a
// procedural talking sequence, on the face of identity) or a JSON file of landmark sets.
func DrivingSequence(spec string, frames, size, identity int) ([][][2]float64, error) {
	heads := datasets.DefaultHeads()
	heads.Size = size
	if rest, ok := strings.CutPrefix(spec, "talk"); ok {
		seed := uint64(1)
		if rest != "" {
			s, err := strconv.ParseUint(strings.TrimPrefix(rest, ":"), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("%w: -drive %q: want talk or talk:<seed>", ErrSpec, spec)
			}
			seed = s
		}
		var out [][][2]float64
		for _, p := range datasets.TalkingSequence(frames, seed) {
			out = append(out, datasets.HeadLandmarks(heads.Identity(identity), p, size))
		}
		return out, nil
	}
	data, err := os.ReadFile(spec)
	if err != nil {
		return nil, err
	}
	var seq [][][2]float64
	if err := json.Unmarshal(data, &seq); err != nil {
		return nil, fmt.Errorf("-drive %s: want a JSON list of landmark sets: %w", spec, err)
	}
	if len(seq) == 0 {
		return nil, fmt.Errorf("-drive %s: no frames", spec)
	}
	return seq, nil
}

// Images converts rendered frames [S·S·3] in [0, 1] to images at 3× zoom (GIF frames).
func Images(rendered [][]float32, size int) ([]image.Image, error) {
	var out []image.Image
	for _, r := range rendered {
		signed := make([]float32, len(r)) // plotting.FloatImages takes [−1, 1]
		for i, v := range r {
			signed[i] = 2*v - 1
		}
		ims, err := plotting.FloatImages(signed, 1, size, size, 3)
		if err != nil {
			return nil, err
		}
		g, err := plotting.ImageGrid(ims, 1, 0, 3)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

// Animate makes an avatar of m from the source face (ReadSource's spec), drives it with the
// motion (DrivingSequence's spec; frames poses for "talk") and returns the rendered frames as
// images, each beside the one source frame the avatar was made from (source left, avatar right),
// with the avatar (its InitTime). enhancerSteps > 0 runs the texture enhancer first
// (DefaultEnhancerSteps: as Init does by default; 0: none).
func Animate(m *Model, source, motion string, frames, enhancerSteps int) ([]image.Image, *Avatar, error) {
	img, lmk, identity, err := ReadSource(source, m.Config.Size)
	if err != nil {
		return nil, nil, err
	}
	seq, err := DrivingSequence(motion, frames, m.Config.Size, identity)
	if err != nil {
		return nil, nil, err
	}
	av, err := m.Init(img, lmk, &InitOptions{EnhancerSteps: enhancerSteps})
	if err != nil {
		return nil, nil, err
	}
	rendered, err := av.Render(seq...)
	if err != nil {
		return nil, nil, err
	}
	images, err := Images(append([][]float32{img}, rendered...), m.Config.Size)
	if err != nil {
		return nil, nil, err
	}
	src := images[0]
	for i, frame := range images[1:] {
		if images[i], err = plotting.ImageGrid([]image.Image{src, frame}, 2, 4, 1); err != nil {
			return nil, nil, err
		}
	}
	return images[:len(rendered)], av, nil
}
