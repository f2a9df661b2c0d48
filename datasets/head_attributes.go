package datasets

import (
	"fmt"
	"math/rand/v2"

	"github.com/ganlab/ganlab/internal/parallel"
)

// HeadAttributes are the properties of a talking-head frame that the heads evaluator recognises
// (eval.Classifier on "heads-attributes"): six of the identity, two of the pose. Each is read off
// the parameters the frame was drawn from (HeadAttributeValues), so real frames come labelled.
// Luminance is 0.299·R + 0.587·G + 0.114·B.
var HeadAttributes = []Attribute{
	{Name: "hair", Values: []string{"short", "long"}},                     // HairStyle
	{Name: "hair colour", Values: []string{"dark", "light"}},              // hair luminance < or ≥ 0.35
	{Name: "skin", Values: []string{"dark", "medium", "light"}},           // skin luminance < 0.45, < 0.65, ≥ 0.65
	{Name: "background", Values: []string{"dark", "light"}},               // background luminance < or ≥ 0.55
	{Name: "detail", Values: []string{"plain", "freckles", "face paint"}}, // none, Freckles, stripes
	{Name: "glasses", Values: []string{"no", "yes"}},                      // Glasses
	{Name: "mouth", Values: []string{"closed or ajar", "open"}},           // pose Mouth < or ≥ 0.5
	{Name: "eyes", Values: []string{"open", "closed"}},                    // pose Blink < or ≥ 0.5
}

func luminance(c [3]float64) float64 { return 0.299*c[0] + 0.587*c[1] + 0.114*c[2] }

// HeadAttributeValues returns the value of each of HeadAttributes for a frame of id in pose.
func HeadAttributeValues(id HeadIdentity, pose HeadPose) []int {
	atLeast := func(x, threshold float64) int {
		if x >= threshold {
			return 1
		}
		return 0
	}
	skin := atLeast(luminance(id.Skin), 0.45) + atLeast(luminance(id.Skin), 0.65)
	detail := 0
	switch {
	case len(id.Freckles) > 0:
		detail = 1
	case id.StripePhase >= 0:
		detail = 2
	}
	glasses := 0
	if id.Glasses {
		glasses = 1
	}
	return []int{id.HairStyle, atLeast(luminance(id.Hair), 0.35), skin, atLeast(luminance(id.Background), 0.55),
		detail, glasses, atLeast(pose.Mouth, 0.5), atLeast(pose.Blink, 0.5)}
}

// AttributePeople is how many people the training frames of AttributeSet show.
const AttributePeople = 20000

// AttributeSet renders n frames in random poses (seeded by the split), labelled with
// HeadAttributes. Train frames show AttributePeople people drawn after the held-out ones: none of
// them is a training identity of DCGAN or of the avatar, and there are enough of them that an
// evaluator learns the attributes rather than the people. Test frames show the held-out
// identities, to measure how well it recognises the attributes of faces it never saw.
func (h Heads) AttributeSet(split Split, n int) (*ImageSet, error) {
	if err := h.Validate(); err != nil {
		return nil, err
	}
	first, count := h.Train+h.Test, AttributePeople
	if split == Test {
		first, count = h.Train, h.Test
	}
	if n <= 0 || count <= 0 {
		return nil, fmt.Errorf("talking heads attributes: %d frames of %d identities requested", n, count)
	}
	s, a := h.Size, len(HeadAttributes)
	set := &ImageSet{Name: fmt.Sprintf("talking heads attributes (%s)", split), N: n, H: s, W: s, C: 3,
		Pixels: make([]uint8, n*s*s*3), Labels: make([]int, n*a), Attributes: HeadAttributes}
	rng := rand.New(rand.NewPCG(h.Seed, 21+uint64(split)))
	ids, poses := make([]int, n), make([]HeadPose, n)
	for k := range n {
		ids[k], poses[k] = first+rng.IntN(count), RandomHeadPose(rng)
	}
	parallel.For(n, func(k int) {
		rgb, _, _ := h.Frame(ids[k], poses[k])
		quantize(set.Pixels[k*s*s*3:], rgb)
		copy(set.Labels[k*a:], HeadAttributeValues(h.Identity(ids[k]), poses[k]))
	})
	return set, nil
}
