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
		{Name: "avatar", Summary: "animate a one-shot avatar: a source face driven by a pose sequence, written as a GIF", Run: runAvatar},
		{Name: "average", Summary: "average a DCGAN run's last checkpoints into one generator file (averaging the iterates)", Run: runAverage},
		{Name: "export", Summary: "write a DCGAN run's generator as a file to ship (-bfloat16: about half the size)", Run: runExport},
		{Name: "xla-install", Summary: "download and install an XLA PJRT plugin (cpu or cuda) with go-xla's installer", Run: runXLAInstall},
		{Name: "theory", Summary: "check the GAN paper's identities numerically", Run: runTheory},
		{Name: "version", Summary: "print versions, the backend that would be used, and SIMD status", Run: runVersion},
	}
}

func main() {
	os.Exit(cli.Main("ganlab", commands(), os.Args[1:], os.Stderr))
}
