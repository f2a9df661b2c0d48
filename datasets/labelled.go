package datasets

import "fmt"

// LabelledName returns the canonical name of a labelled dataset: "mnist", "fashion" (also
// "fashion-mnist"), "heads-identity" (Heads.IdentitySet of the default heads) or
// "heads-attributes" (Heads.AttributeSet of the default heads).
func LabelledName(name string) (string, error) {
	switch name {
	case "mnist", "fashion", "heads-identity", "heads-attributes":
		return name, nil
	case "fashion-mnist":
		return "fashion", nil
	}
	return "", fmt.Errorf("unknown dataset %q (want mnist, fashion, heads-identity or heads-attributes)", name)
}

// Frames per identity of the "heads-identity" splits.
const (
	IdentityTrainFrames = 24
	IdentityTestFrames  = 4
)

// Frames of the "heads-attributes" splits: the training identities' and the held-out ones'.
const (
	AttributeTrainFrames = 20000
	AttributeTestFrames  = 2000
)

// LoadLabelled loads one split of the labelled dataset name (see LabelledName).
func LoadLabelled(name string, split Split) (*ImageSet, error) {
	canonical, err := LabelledName(name)
	switch {
	case err != nil:
		return nil, err
	case canonical == "fashion":
		return LoadFashionMNIST("", split)
	case canonical == "heads-identity":
		frames := IdentityTrainFrames
		if split == Test {
			frames = IdentityTestFrames
		}
		return DefaultHeads().IdentitySet(split, frames)
	case canonical == "heads-attributes":
		frames := AttributeTrainFrames
		if split == Test {
			frames = AttributeTestFrames
		}
		return DefaultHeads().AttributeSet(split, frames)
	}
	return LoadMNIST(split)
}
