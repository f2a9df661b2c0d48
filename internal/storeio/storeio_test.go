package storeio

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRoundToBFloat16(t *testing.T) {
	values := []float32{1, 1 + 1.0/256, 1 + 1.0/128, 3.14159265, -0.0123456, 1e-30, 0}
	// bfloat16 keeps 8 significant bits: 1 + 2⁻⁸ is a tie between 1 and 1 + 2⁻⁷ and goes to the
	// even one (1); π becomes 3.140625; the rest round to their nearest bfloat16.
	want := []float32{1, 1, 1 + 1.0/128, 3.140625, -0.012329102, 9.984021e-31, 0}
	data := make([]byte, 4*len(values))
	for i, v := range values {
		binary.NativeEndian.PutUint32(data[4*i:], math.Float32bits(v))
	}
	other := []byte{1, 2, 3, 4}
	vars := []Variable{{Path: "/w", DType: "Float32", Dims: []int{len(values)}, Data: data}, {Path: "/i", DType: "Int32", Dims: []int{1}, Data: other}}
	maxRel := RoundToBFloat16(vars)
	for i := range values {
		got := math.Float32frombits(binary.NativeEndian.Uint32(data[4*i:]))
		if got != want[i] {
			t.Errorf("%g rounded to %g, want %g", values[i], got, want[i])
		}
		if binary.NativeEndian.Uint32(data[4*i:])&0xFFFF != 0 {
			t.Errorf("%g: low 16 bits not zero", got)
		}
	}
	if maxRel <= 0 || maxRel > 1.0/256 {
		t.Errorf("largest relative change %g, want in (0, 2⁻⁸]", maxRel)
	}
	if string(other) != "\x01\x02\x03\x04" {
		t.Errorf("an int32 variable changed: %v", other)
	}
}

// TestChecksumCatchesAFlippedByte: one byte changed in the middle of a written file (compressed
// or not) is an error naming the file, not a silently different value.
func TestChecksumCatchesAFlippedByte(t *testing.T) {
	type payload struct{ Data []byte }
	for _, write := range []func(string, any) error{WriteGob, WriteGobCompressed} {
		path := filepath.Join(t.TempDir(), "x.gob")
		data := make([]byte, 4096)
		for i := range data {
			data[i] = byte(i * 7)
		}
		if err := write(path, payload{data}); err != nil {
			t.Fatal(err)
		}
		var back payload
		if err := ReadGob(path, "test file", &back); err != nil || !bytes.Equal(back.Data, data) {
			t.Fatalf("round trip: %v", err)
		}
		raw, _ := os.ReadFile(path)
		raw[len(raw)/2] ^= 0x10
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		err := ReadGob(path, "test file", &back)
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Fatalf("a flipped byte: %v", err)
		}
	}
}
