// Command ganlab trains, samples, evaluates and benchmarks the ganlab GAN models, and prints the
// GAN theory checks. Run `ganlab -h` for the commands and `ganlab <command> -h` for their flags.
//
// User mistakes end with one line on stderr and exit code 2; failures with one line and exit
// code 1 (set GANLAB_DEBUG=1 for a stack trace).
package main

import (
	"os"

	"github.com/ganlab/ganlab/internal/cli"
)

// commands is the table of subcommands; the models fill the train/sample/eval/bench targets
// through the target tables (registry.go) from their files' init functions, so it is built in main.
func commands() []cli.Command {
	return []cli.Command{
		{Name: "train", Summary: "train a model (" + trainers.Names() + ")", Run: trainers.Run},
		{Name: "sample", Summary: "write samples of a trained model to a PNG grid or IDX file", Run: samplers.Run},
		{Name: "eval", Summary: "evaluate samples with the metrics of the eval package", Run: evals.Run},
		{Name: "bench", Summary: "benchmark building blocks and training steps (" + benches.Names() + ")", Run: benches.Run},
		avatarCommand(),
		averageCommand(),
		exportCommand(),
		xlaInstallCommand(),
		{Name: "theory", Summary: "check the GAN paper's identities numerically", Run: runTheory},
		{Name: "version", Summary: "print versions, the backend that would be used, and SIMD status", Run: runVersion},
	}
}

func main() {
	os.Exit(cli.Main("ganlab", commands(), os.Args[1:], os.Stderr))
}
