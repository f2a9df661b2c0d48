package cli

import (
	"flag"
	"fmt"
	"sort"
	"strings"
)

// Target is one target of a command that has them (train <model>, bench <what>, …); each target
// registers its own flags.
type Target struct {
	Summary string
	Run     func(fs *flag.FlagSet, args []string) error
}

// Targets maps target names to targets.
type Targets map[string]Target

// Names lists the targets, sorted and comma-separated.
func (ts Targets) Names() string {
	names := make([]string, 0, len(ts))
	for n := range ts {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) == 0 {
		return "none yet"
	}
	return strings.Join(names, ", ")
}

// Run runs the target named by args[0] with a FlagSet of its own; without one, it lists them.
func (ts Targets) Run(fs *flag.FlagSet, args []string) error {
	kind := fs.Name()[strings.LastIndex(fs.Name(), " ")+1:] // "ganlab train" → "train"
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintf(fs.Output(), "usage: %s <target> [flags]\n\ntargets:\n", fs.Name())
		for _, n := range strings.Split(ts.Names(), ", ") {
			if t, ok := ts[n]; ok {
				fmt.Fprintf(fs.Output(), "  %-12s %s\n", n, t.Summary)
			}
		}
		if len(args) == 0 {
			return Usagef("%s needs a target (%s)", kind, ts.Names())
		}
		return flag.ErrHelp
	}
	t, ok := ts[args[0]]
	if !ok {
		return Usagef("unknown %s target %q (available: %s)", kind, args[0], ts.Names())
	}
	sub := flag.NewFlagSet(fs.Name()+" "+args[0], flag.ContinueOnError)
	sub.SetOutput(fs.Output())
	return t.Run(sub, args[1:])
}
