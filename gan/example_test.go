package gan_test

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/janpfeifer/must"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/datasets"
	"github.com/ganlab/ganlab/gan"
)

// The identity of Theorem 1, V(D*, G) = 2·JS(p_data‖p_g) − 2·log 2, for a shifted Gaussian.
func ExampleCheckIdentity() {
	data := datasets.Gaussian{Mu: 0, Sigma: 1}
	gen := datasets.Gaussian{Mu: 1, Sigma: 1}
	c := gan.CheckIdentity("shifted", data.Density, gen.Density, gan.DefaultGrid)
	fmt.Printf("V(D*,G) = %.6f, 2JS − 2log2 = %.6f, agree: %v\n", c.VOptimal, c.TwoJSMinusLog4, math.Abs(c.Difference) < 1e-9)
	// Output: V(D*,G) = -1.163451, 2JS − 2log2 = -1.163451, agree: true
}

// Training a 1-D GAN on N(4, 1.25²) with Algorithm 1 (k = 5) and measuring how close p_g got.
func ExampleTrainer() {
	backend.Quiet()
	data := datasets.Gaussian{Mu: 4, Sigma: 1.25}
	g, d := gan.Toy1DModels()
	tr := must.M1(gan.NewTrainer(backend.MustNew("go"), gan.Toy1DConfig(), g, d, &gan.Toy1D{Dist: data, Seed: 1}))
	must.M(tr.Train(context.Background(), 2000, nil))
	s := must.M1(tr.Analyze1D(data, -3.5, 11.5, 601, 4, 1.25))
	fmt.Printf("step %d: JS below 0.05 nats: %v\n", s.Step, s.JS < 0.05)
	// Output: step 2000: JS below 0.05 nats: true
}

// Run is the training loop of `ganlab train`: checkpoints in dir/checkpoints, and a second Run
// with Resume continues exactly where the first stopped (here after 100 of 200 steps), as after
// an interrupt.
func ExampleRun() {
	backend.Quiet()
	dir := must.M1(os.MkdirTemp("", "run"))
	defer os.RemoveAll(dir)
	data := datasets.Gaussian{Mu: 4, Sigma: 1.25}
	newTrainer := func() *gan.Trainer {
		g, d := gan.Toy1DModels()
		tr := must.M1(gan.NewTrainer(backend.MustNew("go"), gan.Toy1DConfig(), g, d, &gan.Toy1D{Dist: data, Seed: 1}))
		tr.Name = "gan1d" // recorded in the checkpoints and checked when they are loaded
		return tr
	}
	opts := gan.RunOptions{Steps: 100, Dir: dir, CheckpointEvery: 50, Progress: io.Discard}
	must.M1(gan.Run(context.Background(), newTrainer(), opts))
	opts.Steps, opts.Resume = 200, true
	tr := newTrainer()
	res := must.M1(gan.Run(context.Background(), tr, opts))
	files := must.M1(gan.ListCheckpoints(gan.CheckpointDir(dir)))
	fmt.Printf("resumed at step %d, now at %d; checkpoints: %d\n", res.Resumed, tr.Step(), len(files))
	// Output: resumed at step 100, now at 200; checkpoints: 4
}
