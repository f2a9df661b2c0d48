package main

import (
	"flag"
	"fmt"
	"math"

	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/internal/cli"
)

// runTheory prints, for several density pairs, V(D*, G) by numerical integration next to
// 2·JS(p_data‖p_g) − 2·log 2 (Goodfellow et al. 2014, Theorem 1), and fails if they differ by
// 1e-6 or more.
func runTheory(fs *flag.FlagSet, args []string) error {
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	fmt.Printf("V(D*,G) = 2·JS(p_data‖p_g) − 2·log 2, checked by Simpson's rule on [%g, %g] with %d intervals\n\n",
		gan.DefaultGrid.Lo, gan.DefaultGrid.Hi, gan.DefaultGrid.N)
	fmt.Printf("%-36s %16s %16s %10s %10s\n", "p_data vs p_g", "V(D*,G)", "2JS − 2log2", "|diff|", "JS (nats)")
	worst := 0.0
	for _, p := range gan.StandardTheoryPairs() {
		c := gan.CheckIdentity(p.Name, p.Data.Density, p.Gen.Density, gan.DefaultGrid)
		fmt.Printf("%-36s %16.10f %16.10f %10.1e %10.6f\n", c.Name, c.VOptimal, c.TwoJSMinusLog4, math.Abs(c.Difference), c.JS)
		worst = math.Max(worst, math.Abs(c.Difference))
	}
	fmt.Printf("\n−log 4 = %.10f (the minimum, reached iff p_g = p_data); largest |diff| = %.1e\n", -math.Log(4), worst)
	if !(worst < 1e-6) {
		return fmt.Errorf("identity violated: largest |diff| %.3g ≥ 1e-6", worst)
	}
	return nil
}
