package datasets

import "testing"

// TestAttributeSet: each frame carries one valid value of every attribute, read off the parameters
// it was drawn from; Batch, Subset and Select keep each image's labels together.
func TestAttributeSet(t *testing.T) {
	h := DefaultHeads()
	set, err := h.AttributeSet(Train, 300)
	if err != nil {
		t.Fatal(err)
	}
	a := len(HeadAttributes)
	if err := set.Validate(); err != nil || set.LabelsPerImage() != a || len(set.Labels) != 300*a {
		t.Fatalf("%d labels, %d per image (%v)", len(set.Labels), set.LabelsPerImage(), err)
	}
	seen := make([]map[int]bool, a)
	for j := range seen {
		seen[j] = map[int]bool{}
	}
	for i := range set.N {
		for j := range a {
			seen[j][set.Labels[i*a+j]] = true
		}
	}
	for j, attribute := range HeadAttributes {
		if len(seen[j]) != len(attribute.Values) {
			t.Errorf("attribute %s: values %v among 300 frames, want all %d", attribute.Name, seen[j], len(attribute.Values))
		}
	}

	for i := range 40 { // the labels follow the parameters
		id := h.Identity(i)
		v := HeadAttributeValues(id, HeadPose{Mouth: 0.7})
		if (v[5] == 1) != id.Glasses || v[0] != id.HairStyle || (v[4] == 1) != (len(id.Freckles) > 0) || v[6] != 1 || v[7] != 0 {
			t.Fatalf("identity %d (glasses %v, hair style %d, %d freckles): values %v", i, id.Glasses, id.HairStyle, len(id.Freckles), v)
		}
	}

	_, labels := set.Batch([]int{7, 2}, nil)
	picked := set.Select([]int{7, 2})
	for j := range a {
		if labels[j] != int32(set.Labels[7*a+j]) || labels[a+j] != int32(set.Labels[2*a+j]) || picked.Labels[a+j] != set.Labels[2*a+j] {
			t.Fatalf("attribute %d: batch %v, select %v, set %v / %v", j, labels, picked.Labels, set.Labels[7*a:8*a], set.Labels[2*a:3*a])
		}
	}
	if sub := set.Subset(10); len(sub.Labels) != 10*a || sub.Validate() != nil {
		t.Errorf("subset of 10: %d labels", len(sub.Labels))
	}
	set.Labels[5] = 7
	if set.Validate() == nil {
		t.Error("value 7 of a two-valued attribute: want an error")
	}

	test, err := h.AttributeSet(Test, 5)
	if err != nil || test.Validate() != nil {
		t.Fatal(err)
	}
	if _, err := h.AttributeSet(Train, 0); err == nil {
		t.Error("0 frames: want an error")
	}
	if name, err := LabelledName("heads-attributes"); name != "heads-attributes" || err != nil {
		t.Errorf("heads-attributes: %q, %v", name, err)
	}
}
