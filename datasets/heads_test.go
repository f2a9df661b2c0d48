package datasets

import (
	"testing"
)

func TestHeadsAreDeterministicAndVaried(t *testing.T) {
	h := DefaultHeads()
	a, la, ma := h.Frame(3, HeadPose{Yaw: 0.3, Mouth: 0.5})
	b, lb, _ := h.Frame(3, HeadPose{Yaw: 0.3, Mouth: 0.5})
	for i := range a {
		if a[i] != b[i] {
			t.Fatal("the same identity and pose rendered twice differ")
		}
	}
	for i := range la {
		if la[i] != lb[i] {
			t.Fatal("landmarks differ between identical calls")
		}
	}
	if len(la) != NumHeadLandmarks {
		t.Fatalf("%d landmarks", len(la))
	}
	for _, p := range la {
		if p[0] < 0 || p[0] >= 64 || p[1] < 0 || p[1] >= 64 {
			t.Errorf("landmark %v outside the 64×64 image", p)
		}
	}
	var fg float64
	for _, v := range ma {
		fg += float64(v)
	}
	if share := fg / float64(len(ma)); share < 0.15 || share > 0.7 {
		t.Errorf("the head covers %.0f%% of the image", 100*share)
	}
	c, _, _ := h.Frame(4, HeadPose{Yaw: 0.3, Mouth: 0.5})
	same := 0
	for i := range a {
		if a[i] == c[i] {
			same++
		}
	}
	if same > len(a)/2 {
		t.Errorf("two identities share %d of %d values", same, len(a))
	}
	// Opening the mouth moves the lip landmarks apart.
	_, closed, _ := h.Frame(3, HeadPose{})
	_, open, _ := h.Frame(3, HeadPose{Mouth: 1})
	if !(open[21][1]-open[20][1] > closed[21][1]-closed[20][1]+2) {
		t.Errorf("mouth landmarks do not open: %v vs %v", open[20:22], closed[20:22])
	}
	set, err := h.ImageSet(10)
	if err != nil || set.N != 10 || set.C != 3 || set.H != 64 {
		t.Fatalf("image set: %v %+v", err, set)
	}
	if _, err := (Heads{Size: 8, Train: 1}).ImageSet(1); err == nil {
		t.Error("an 8×8 head set was accepted")
	}
}

// TestIdentitySet: labelled by identity, IdentitySize² frames, distinct poses within an
// identity, and LoadLabelled's names.
func TestIdentitySet(t *testing.T) {
	h := DefaultHeads()
	h.Train = 5
	set, err := h.IdentitySet(Train, 3)
	if err != nil {
		t.Fatal(err)
	}
	if err := set.Validate(); err != nil || set.N != 15 || set.H != IdentitySize || len(set.Classes) != 5 || set.Labels[14] != 4 {
		t.Fatalf("set %d×%d×%d, %d classes, last label %d (%v)", set.N, set.H, set.C, len(set.Classes), set.Labels[14], err)
	}
	frame := set.ImageSize()
	same := true
	for i := range frame {
		same = same && set.Pixels[i] == set.Pixels[frame+i]
	}
	if same {
		t.Error("two frames of identity 0 are identical: want different poses")
	}
	if _, err := h.IdentitySet(Train, 0); err == nil {
		t.Error("0 frames per identity: want an error")
	}
	if got := DownsampleRGB([]float32{0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1}, 2, 2); len(got) != 3 || got[0] != 0.5 {
		t.Errorf("2×2 → 1×1: %v, want [0.5 0.5 0.5]", got)
	}
	if name, err := LabelledName("fashion-mnist"); name != "fashion" || err != nil {
		t.Errorf("fashion-mnist: %q, %v", name, err)
	}
	if _, err := LabelledName("cifar"); err == nil {
		t.Error("cifar: want an error")
	}
}
