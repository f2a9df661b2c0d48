// Package cli holds what every ganlab subcommand shares: usage errors with exit code 2, turning
// panics from graph building into one-line errors, and the common -backend flag.
package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/gomlx/compute"

	"github.com/ganlab/ganlab/backend"
)

// UsageError is a user mistake (bad flag, unknown model, invalid value): exit code 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Usagef returns a UsageError.
func Usagef(format string, args ...any) error { return &UsageError{Msg: fmt.Sprintf(format, args...)} }

// Command is one subcommand.
type Command struct {
	Name, Summary string
	// Run parses args with the FlagSet it builds and runs; -h is handled for it.
	Run func(fs *flag.FlagSet, args []string) error
}

// Exit codes.
const (
	ExitOK      = 0
	ExitFailure = 1
	ExitUsage   = 2
)

// DebugEnv, when set, prints the stack of a recovered panic.
const DebugEnv = "GANLAB_DEBUG"

// Main runs the subcommand named by args[0] and returns the process exit code. Every error,
// including a panic inside GoMLX graph building, ends as one line on stderr.
func Main(prog string, commands []Command, args []string, stderr io.Writer) (code int) {
	usage := func() {
		fmt.Fprintf(stderr, "usage: %s <command> [flags]\n\ncommands:\n", prog)
		for _, c := range commands {
			fmt.Fprintf(stderr, "  %-8s %s\n", c.Name, c.Summary)
		}
		fmt.Fprintf(stderr, "\n'%s <command> -h' describes a command's flags.\n", prog)
	}
	if len(args) == 0 {
		usage()
		return ExitUsage
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage()
		return ExitOK
	}
	var cmd *Command
	for i := range commands {
		if commands[i].Name == args[0] {
			cmd = &commands[i]
		}
	}
	if cmd == nil {
		fmt.Fprintf(stderr, "%s: unknown command %q (commands: %s)\n", prog, args[0], names(commands))
		return ExitUsage
	}
	fs := flag.NewFlagSet(prog+" "+cmd.Name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "%s %s: %s\n", prog, cmd.Name, oneLine(fmt.Sprint(r)))
			if os.Getenv(DebugEnv) != "" {
				fmt.Fprintf(stderr, "%s\n", debug.Stack())
			}
			code = ExitFailure
		}
	}()
	err := cmd.Run(fs, args[1:])
	var uerr *UsageError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, flag.ErrHelp):
		return ExitOK
	case errors.As(err, &uerr):
		fmt.Fprintf(stderr, "%s %s: %s\n", prog, cmd.Name, oneLine(err.Error()))
		return ExitUsage
	}
	fmt.Fprintf(stderr, "%s %s: %s\n", prog, cmd.Name, oneLine(err.Error()))
	return ExitFailure
}

// Parse parses flags. -h prints the flags and returns flag.ErrHelp; a bad flag or value is a
// one-line user mistake (the flag package's own usage dump is suppressed); positional arguments
// beyond maxPositional are rejected.
func Parse(fs *flag.FlagSet, args []string, maxPositional int) error {
	out := fs.Output()
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" || a == "--h" {
			fmt.Fprintf(out, "usage of %s:\n", fs.Name())
			fs.PrintDefaults()
			return flag.ErrHelp
		}
	}
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.SetOutput(out)
	if err != nil {
		return Usagef("%v (see %s -h)", err, fs.Name())
	}
	if fs.NArg() > maxPositional {
		return Usagef("unexpected argument %q", fs.Arg(maxPositional))
	}
	return nil
}

// BackendFlag registers -backend on fs; call its result after parsing.
func BackendFlag(fs *flag.FlagSet) func() (compute.Backend, error) {
	name := fs.String("backend", "", `compute backend: "go" (pure Go), "xla:cpu", "xla:cuda"; default: $GOMLX_BACKEND, else XLA if a plugin is installed, else go`)
	return func() (compute.Backend, error) {
		b, err := backend.New(*name)
		if err != nil && *name != "" {
			return nil, &UsageError{Msg: err.Error()}
		}
		return b, err
	}
}

func names(commands []Command) string {
	n := make([]string, len(commands))
	for i, c := range commands {
		n[i] = c.Name
	}
	return strings.Join(n, ", ")
}

// oneLine keeps the first line of a message (GoMLX errors may carry stack traces after it).
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// WriteJSON writes v as indented JSON to path (the -json flags), or to stdout when path is "-";
// nothing when path is empty.
func WriteJSON(path string, v any) error {
	if path == "" {
		return nil
	}
	data, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return err
	}
	if data = append(data, '\n'); path == "-" {
		_, err = os.Stdout.Write(data)
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// RecordedPrefix marks, in a checkpoint's metadata, the value of a flag that defined the run.
const RecordedPrefix = "flag:-"

// RecordFlags adds to meta (a new map when nil) the value of every flag of fs that defines a run,
// that is all but those in except (how long to train, where, on which backend…), so that a
// resumed run can be checked against them (ApplyRecorded), and returns it.
func RecordFlags(fs *flag.FlagSet, meta map[string]string, except ...string) map[string]string {
	if meta == nil {
		meta = map[string]string{}
	}
	skip := map[string]bool{}
	for _, name := range except {
		skip[name] = true
	}
	fs.VisitAll(func(fl *flag.Flag) {
		if !skip[fl.Name] {
			meta[RecordedPrefix+fl.Name] = fl.Value.String()
		}
	})
	return meta
}

// Recorded returns the flags that RecordFlags put into meta, by name.
func Recorded(meta map[string]string) map[string]string {
	out := map[string]string{}
	for key, value := range meta {
		if name, ok := strings.CutPrefix(key, RecordedPrefix); ok {
			out[name] = value
		}
	}
	return out
}

// ApplyRecorded reconciles the command line with the flags recorded for a resumed run (by name;
// source names where they were read): a flag given with another value is a usage error naming
// both values; a flag not given takes the recorded value, so that the run continues as it was
// started.
func ApplyRecorded(fs *flag.FlagSet, recorded map[string]string, source string) error {
	given := Given(fs)
	names := make([]string, 0, len(recorded))
	for name := range recorded {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fl, value := fs.Lookup(name), recorded[name]
		switch {
		case fl == nil:
		case given[name] && fl.Value.String() != value:
			return Usagef("-%s %s contradicts the run being resumed, which has -%s %s (%s): drop the flag to continue it, or start a new run with another -out",
				name, fl.Value, name, value, source)
		case !given[name]:
			if err := fs.Set(name, value); err != nil {
				return fmt.Errorf("%s records -%s %s, which this ganlab does not accept: %w", source, name, value, err)
			}
		}
	}
	return nil
}

// CheckOutput refuses an output file that would destroy what a command reads or what training
// left: one without the extension ext, one inside a run's checkpoints/ directory, or one that is
// also an input.
func CheckOutput(out, ext string, inputs ...string) error {
	if !strings.EqualFold(filepath.Ext(out), ext) {
		return Usagef("-o %s: want a %s file name", out, ext)
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if filepath.Base(filepath.Dir(abs)) == "checkpoints" {
		return Usagef("-o %s is inside a run's checkpoints/ directory, where it would replace or pose as a training checkpoint", out)
	}
	outInfo, outErr := os.Stat(out)
	for _, in := range inputs {
		inAbs, _ := filepath.Abs(in)
		inInfo, inErr := os.Stat(in)
		if inAbs == abs || (outErr == nil && inErr == nil && os.SameFile(outInfo, inInfo)) {
			return Usagef("-o %s is also an input: choose another output file", out)
		}
	}
	return nil
}

// CheckMemory refuses, before it starts, work estimated to need more memory than this machine
// has available (MemAvailable; no check where /proc/meminfo is missing): such a request would
// otherwise end in an out-of-memory crash, or swap for hours. what names the flags that asked.
func CheckMemory(what string, bytes float64) error {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return nil
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemAvailable:" {
			var kb float64
			if _, err := fmt.Sscan(f[1], &kb); err == nil && bytes > kb*1024 {
				return Usagef("%s needs about %.1f GB of memory, more than the %.1f GB available", what, bytes/1e9, kb*1024/1e9)
			}
		}
	}
	return nil
}

// Given reports which flags of fs the command line set.
func Given(fs *flag.FlagSet) map[string]bool {
	given := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	return given
}
