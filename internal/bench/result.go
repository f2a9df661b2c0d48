package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ganlab/ganlab/internal/cli"
)

// Result is one benchmark's measurement. Its String is the line `ganlab bench` prints last,
// "name key=value …", which scripts read (e.g. the PyTorch anchors' median_ms=); with -json the
// same fields are written as one JSON object, {"bench": name, key: value, …}, in that order.
type Result struct {
	Name   string
	Fields []Field
}

// Field is one named value of a Result, printed with Format (e.g. "%.1f").
type Field struct {
	Key    string
	Value  any
	Format string
}

// Add appends a field and returns the result, for chaining.
func (r Result) Add(key string, value any, format string) Result {
	r.Fields = append(r.Fields, Field{key, value, format})
	return r
}

func (r Result) String() string {
	var b strings.Builder
	b.WriteString(r.Name)
	for _, f := range r.Fields {
		fmt.Fprintf(&b, " %s="+f.Format, f.Key, f.Value)
	}
	return b.String()
}

// MarshalJSON writes {"bench": Name, Key: Value, …} with the fields in order.
func (r Result) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	name, _ := json.Marshal(r.Name)
	b.WriteString(`{"bench":`)
	b.Write(name)
	for _, f := range r.Fields {
		key, _ := json.Marshal(f.Key)
		value, err := json.Marshal(f.Value)
		if err != nil {
			return nil, fmt.Errorf("bench %s, field %s: %w", r.Name, f.Key, err)
		}
		b.WriteByte(',')
		b.Write(key)
		b.WriteByte(':')
		b.Write(value)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Write prints r's line to standard output and, when jsonPath is set, writes r as JSON to that
// file (- for standard output): what every `ganlab bench` ends with.
func (r Result) Write(jsonPath string) error {
	fmt.Println(r)
	return cli.WriteJSON(jsonPath, r)
}
