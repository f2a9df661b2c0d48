package datasets

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
)

// IDX element types (the third byte of the magic number), from LeCun's MNIST page.
const (
	IDXUint8   byte = 0x08
	IDXInt8    byte = 0x09
	IDXInt16   byte = 0x0B
	IDXInt32   byte = 0x0C
	IDXFloat32 byte = 0x0D
	IDXFloat64 byte = 0x0E
)

// maxIDXElements bounds what ReadIDX will allocate (1<<31 elements), so that a corrupt header
// cannot ask for terabytes.
const maxIDXElements = 1 << 31

func idxElementSize(t byte) int {
	switch t {
	case IDXUint8, IDXInt8:
		return 1
	case IDXInt16:
		return 2
	case IDXInt32, IDXFloat32:
		return 4
	case IDXFloat64:
		return 8
	}
	return 0
}

// IDX is a decoded IDX file: element type, dimensions and the raw big-endian data.
type IDX struct {
	Type byte
	Dims []int
	Data []byte
}

// Len is the number of elements.
func (x *IDX) Len() int { return len(x.Data) / idxElementSize(x.Type) }

// Float64s converts the elements, whatever their type, to float64.
func (x *IDX) Float64s() []float64 {
	n := x.Len()
	out := make([]float64, n)
	for i := range n {
		switch x.Type {
		case IDXUint8:
			out[i] = float64(x.Data[i])
		case IDXInt8:
			out[i] = float64(int8(x.Data[i]))
		case IDXInt16:
			out[i] = float64(int16(binary.BigEndian.Uint16(x.Data[2*i:])))
		case IDXInt32:
			out[i] = float64(int32(binary.BigEndian.Uint32(x.Data[4*i:])))
		case IDXFloat32:
			out[i] = float64(math.Float32frombits(binary.BigEndian.Uint32(x.Data[4*i:])))
		case IDXFloat64:
			out[i] = math.Float64frombits(binary.BigEndian.Uint64(x.Data[8*i:]))
		}
	}
	return out
}

// ReadIDXFile reads an IDX file, gzip-compressed or raw (detected from its first bytes, not its
// name). Errors name the file and the problem.
func ReadIDXFile(path string) (*IDX, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("IDX file %s: %w", path, err)
	}
	defer f.Close()
	x, err := ReadIDX(f)
	if err != nil {
		return nil, fmt.Errorf("IDX file %s: %w", path, err)
	}
	return x, nil
}

// ReadIDX decodes an IDX stream strictly: the magic number must be 0x00 0x00 <type> <rank> with a
// known type and rank ≥ 1; the data must hold exactly the product of the dimensions times the
// element size — truncated data and trailing bytes are both errors.
func ReadIDX(r io.Reader) (*IDX, error) {
	br := bufio.NewReader(r)
	if head, err := br.Peek(2); err == nil && head[0] == 0x1f && head[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("corrupt gzip header: %w", err)
		}
		defer gz.Close()
		br = bufio.NewReader(gz)
	}
	var magic [4]byte
	if _, err := io.ReadFull(br, magic[:]); err != nil {
		return nil, fmt.Errorf("too short for an IDX header (4-byte magic number): %w", describeEOF(err))
	}
	if magic[0] != 0 || magic[1] != 0 {
		return nil, fmt.Errorf("bad magic number % x: an IDX file starts with 00 00 <type> <rank>", magic)
	}
	elemSize := idxElementSize(magic[2])
	if elemSize == 0 {
		return nil, fmt.Errorf("unknown IDX element type 0x%02x (want 08, 09, 0B, 0C, 0D or 0E)", magic[2])
	}
	rank := int(magic[3])
	if rank == 0 {
		return nil, fmt.Errorf("IDX rank 0: no dimensions")
	}
	dims := make([]int, rank)
	total := 1
	for i := range dims {
		var d uint32
		if err := binary.Read(br, binary.BigEndian, &d); err != nil {
			return nil, fmt.Errorf("truncated header: dimension %d of %d missing: %w", i+1, rank, describeEOF(err))
		}
		dims[i] = int(d)
		if d == 0 {
			return nil, fmt.Errorf("dimension %d is 0: no data", i)
		}
		total *= int(d)
		if total > maxIDXElements {
			return nil, fmt.Errorf("dimensions %v exceed %d elements: corrupt header?", dims[:i+1], maxIDXElements)
		}
	}
	want := total * elemSize
	// Read what is there, up to what the header promises, growing the buffer as data arrives: a
	// corrupt header cannot make us allocate gigabytes before the data runs out.
	var buf bytes.Buffer
	n, err := io.CopyN(&buf, br, int64(want))
	if err != nil {
		return nil, fmt.Errorf("truncated data: dimensions %v need %d bytes, found %d: %w", dims, want, n, describeEOF(err))
	}
	data := buf.Bytes()
	var extra [1]byte
	if n, _ := br.Read(extra[:]); n > 0 {
		rest, _ := io.Copy(io.Discard, br)
		return nil, fmt.Errorf("size mismatch: %d bytes after the %d that dimensions %v describe", rest+1, want, dims)
	}
	return &IDX{Type: magic[2], Dims: dims, Data: data}, nil
}

func describeEOF(err error) error {
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		return fmt.Errorf("unexpected end of file")
	}
	return err
}

// WriteIDX writes x as a raw (uncompressed) IDX stream.
func WriteIDX(w io.Writer, x *IDX) error {
	size := idxElementSize(x.Type)
	if size == 0 {
		return fmt.Errorf("WriteIDX: unknown element type 0x%02x", x.Type)
	}
	if len(x.Dims) == 0 || len(x.Dims) > 255 {
		return fmt.Errorf("WriteIDX: rank %d out of 1..255", len(x.Dims))
	}
	total := 1
	for _, d := range x.Dims {
		if d <= 0 || d > math.MaxUint32 {
			return fmt.Errorf("WriteIDX: bad dimension %d in %v", d, x.Dims)
		}
		total *= d
	}
	if total*size != len(x.Data) {
		return fmt.Errorf("WriteIDX: dimensions %v need %d bytes, data has %d", x.Dims, total*size, len(x.Data))
	}
	var buf bytes.Buffer
	buf.Write([]byte{0, 0, x.Type, byte(len(x.Dims))})
	for _, d := range x.Dims {
		_ = binary.Write(&buf, binary.BigEndian, uint32(d))
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return err
	}
	_, err := w.Write(x.Data)
	return err
}
