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
	"runtime/debug"
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

// MustMatch refuses the first flag given on the command line whose value differs from a resumed
// run's configuration (same[name] is false), since it could not take effect; note is added to the
// message.
func MustMatch(fs *flag.FlagSet, same map[string]bool, note string) (err error) {
	fs.Visit(func(fl *flag.Flag) {
		if ok, compared := same[fl.Name]; compared && !ok && err == nil {
			err = Usagef("-%s %s differs from the resumed run's configuration, which cannot change%s: drop the flag, or start a new run with another -out", fl.Name, fl.Value, note)
		}
	})
	return err
}

// WriteJSON writes v as indented JSON to path (the -json flags); nothing when path is empty.
func WriteJSON(path string, v any) error {
	if path == "" {
		return nil
	}
	data, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
