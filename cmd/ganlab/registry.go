package main

import (
	"flag"
	"fmt"
	"sort"
	"strings"

	"github.com/ganlab/ganlab/internal/cli"
)

// A subcommand with sub-targets (train <model>, bench <what>, sample <model>) looks the target
// up in a registry; each target registers its own flags.
type target struct {
	summary string
	run     func(fs *flag.FlagSet, args []string) error
}

var (
	trainers = map[string]target{}
	samplers = map[string]target{}
	evals    = map[string]target{}
	benches  = map[string]target{}
)

func modelList(reg map[string]target) string {
	names := make([]string, 0, len(reg))
	for n := range reg {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) == 0 {
		return "none yet"
	}
	return strings.Join(names, ", ")
}

// dispatch runs args[0] from reg.
func dispatch(kind string, reg map[string]target, fs *flag.FlagSet, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintf(fs.Output(), "usage: %s <target> [flags]\n\ntargets:\n", fs.Name())
		names := strings.Split(modelList(reg), ", ")
		for _, n := range names {
			if t, ok := reg[n]; ok {
				fmt.Fprintf(fs.Output(), "  %-12s %s\n", n, t.summary)
			}
		}
		if len(args) == 0 {
			return cli.Usagef("%s needs a target (%s)", kind, modelList(reg))
		}
		return flag.ErrHelp
	}
	t, ok := reg[args[0]]
	if !ok {
		return cli.Usagef("unknown %s target %q (available: %s)", kind, args[0], modelList(reg))
	}
	sub := flag.NewFlagSet(fs.Name()+" "+args[0], flag.ContinueOnError)
	sub.SetOutput(fs.Output())
	return t.run(sub, args[1:])
}

func runTrain(fs *flag.FlagSet, args []string) error  { return dispatch("train", trainers, fs, args) }
func runSample(fs *flag.FlagSet, args []string) error { return dispatch("sample", samplers, fs, args) }
func runEval(fs *flag.FlagSet, args []string) error   { return dispatch("eval", evals, fs, args) }
func runBench(fs *flag.FlagSet, args []string) error  { return dispatch("bench", benches, fs, args) }
