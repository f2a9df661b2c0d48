package cli

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"
)

func commandsForTest() []Command {
	return []Command{
		{Name: "ok", Run: func(fs *flag.FlagSet, args []string) error {
			n := fs.Int("n", 1, "a number")
			if err := Parse(fs, args, 0); err != nil {
				return err
			}
			if *n <= 0 {
				return Usagef("-n must be > 0, got %d", *n)
			}
			return nil
		}},
		{Name: "fail", Run: func(fs *flag.FlagSet, args []string) error { return errors.New("disk full\nmore detail") }},
		{Name: "panic", Run: func(fs *flag.FlagSet, args []string) error {
			panic(errors.New("graph building failed: shapes (2,3) and (4,5)\ngoroutine 1 [running]:"))
		}},
	}
}

// TestMainErrorsAreOneLine: user mistakes exit 2, failures and panics exit 1, always one line
// on stderr and never a stack trace.
func TestMainErrorsAreOneLine(t *testing.T) {
	cases := []struct {
		args     []string
		code     int
		contains string
	}{
		{[]string{"ok"}, ExitOK, ""},
		{[]string{"ok", "-h"}, ExitOK, "-n int"},
		{[]string{"nope"}, ExitUsage, `unknown command "nope"`},
		{[]string{"ok", "-bogus"}, ExitUsage, "flag provided but not defined: -bogus"},
		{[]string{"ok", "-n", "x"}, ExitUsage, `invalid value "x"`},
		{[]string{"ok", "-n", "0"}, ExitUsage, "-n must be > 0"},
		{[]string{"ok", "extra"}, ExitUsage, `unexpected argument "extra"`},
		{[]string{"fail"}, ExitFailure, "prog fail: disk full"},
		{[]string{"panic"}, ExitFailure, "prog panic: graph building failed"},
	}
	for _, c := range cases {
		var stderr bytes.Buffer
		code := Main("prog", commandsForTest(), c.args, &stderr)
		out := stderr.String()
		if code != c.code || !strings.Contains(out, c.contains) {
			t.Errorf("%v: code %d, stderr %q; want code %d containing %q", c.args, code, out, c.code, c.contains)
		}
		if code != ExitOK && (strings.Count(strings.TrimSpace(out), "\n") != 0 || strings.Contains(out, "goroutine")) {
			t.Errorf("%v: stderr is not one line: %q", c.args, out)
		}
	}
}
