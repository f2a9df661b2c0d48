package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"

	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/internal/cli"
)

// runTheory prints, for several density pairs, V(D*, G) next to 2·JS(p_data‖p_g) − 2·log 2
// (Goodfellow et al. 2014, Theorem 1), each computed its own way, with V(D*, G) from samples and
// from a trained discriminator; it fails when the identity or the sampled estimate disagrees.
func runTheory(fs *flag.FlagSet, args []string) error {
	asJSON := fs.Bool("json", false, "print the reports as JSON")
	newBackend := cli.BackendFlag(fs)
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	b, err := newBackend()
	if err != nil {
		return err
	}
	g := gan.DefaultGrid
	if !*asJSON {
		fmt.Printf("V(D*,G) by Simpson's rule on [%g, %g] (%d intervals); JS from ½KL(p‖m) + ½KL(q‖m); V from %d samples of each (± standard error) and of a discriminator trained %d steps\n\n",
			g.Lo, g.Hi, g.N, gan.TheorySamples, gan.TheoryTrainingSteps)
		fmt.Printf("%-36s %14s %14s %8s %22s %12s %9s\n", "p_data vs p_g", "V(D*,G)", "2JS − 2log2", "|diff|", "V from samples", "V(D̂,G)", "JS (nats)")
	}
	var reports []gan.TheoryReport
	for _, p := range gan.StandardTheoryPairs() {
		r, err := gan.CheckPair(b, p, g, 1)
		if err != nil {
			return err
		}
		reports = append(reports, r)
		if !*asJSON {
			fmt.Printf("%-36s %14.10f %14.10f %8.1e %13.6f ± %.6f %12.6f %9.6f\n", r.Name, r.VOptimal, r.TwoJSMinusLog4, math.Abs(r.Difference), r.VMC, r.VMCStdErr, r.VTrained, r.JS)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", " ")
		if err := enc.Encode(reports); err != nil {
			return err
		}
	} else {
		fmt.Printf("\n−log 4 = %.10f (the minimum, reached iff p_g = p_data)\n", -math.Log(4))
	}
	for _, r := range reports {
		if !r.Holds() {
			return fmt.Errorf("%s: |V(D*,G) − (2JS − 2log2)| = %.3g (bound 1e-6), sampled V off by %.3g (bound 4 standard errors = %.3g)", r.Name, math.Abs(r.Difference), math.Abs(r.MCDiff), 4*r.VMCStdErr)
		}
	}
	return nil
}
