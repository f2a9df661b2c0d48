package dcgan

import (
	"fmt"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/ganlab/ganlab/gan"
)

// RuleCheck is one of the paper's architecture guidelines checked on a built model.
type RuleCheck struct {
	Rule   string
	OK     bool
	Detail string
}

// CheckRules builds the generator and discriminator of c and checks Radford et al.'s
// architecture guidelines (§3) on them: the variables each network created and the shapes and
// ranges of what they output. Presets that depart from a guideline on purpose (the TF tutorial's
// Dense projection and Dense logit, its discriminator without batch norm; the paper model with
// DiscriminatorNorm "none") report it as not met, with the reason.
func CheckRules(backend compute.Backend, c Config) ([]RuleCheck, error) {
	g, d, err := c.Models()
	if err != nil {
		return nil, err
	}
	cfg := gan.DefaultConfig()
	cfg.LatentDim, cfg.BatchSize = c.LatentDim, 2
	tr, err := gan.NewModel(backend, cfg, g, d)
	if err != nil {
		return nil, err
	}
	samples, err := tr.Sample(2)
	if err != nil {
		return nil, err
	}
	dOut, err := tr.Discriminate(samples)
	if err != nil {
		return nil, err
	}
	type layer struct {
		net, name string
		rank      int
	}
	var weights []layer
	bn := map[string]int{}
	for v := range tr.Store.IterVariables() {
		path := v.Path()
		net := ""
		switch {
		case strings.HasPrefix(path, "/"+gan.GenScope+"/"):
			net = "G"
		case strings.HasPrefix(path, "/"+gan.DiscScope+"/"):
			net = "D"
		default:
			continue
		}
		switch v.Name() {
		case "weights":
			weights = append(weights, layer{net, v.Scope(), v.Shape().Rank()})
		case "scale":
			bn[net]++
		}
	}
	count := func(net string, rank int) (n int, names []string) {
		for _, w := range weights {
			if w.net == net && w.rank == rank {
				n++
				names = append(names, w.name[strings.LastIndex(w.name, "/")+1:])
			}
		}
		return
	}
	gConv, gConvNames := count("G", 4)
	dConv, dConvNames := count("D", 4)
	gDense, gDenseNames := count("G", 2)
	dDense, dDenseNames := count("D", 2)
	lo, hi := 1.0, -1.0
	tensors.MustConstFlatData[float32](samples, func(flat []float32) {
		for _, v := range flat {
			lo, hi = min(lo, float64(v)), max(hi, float64(v))
		}
	})
	dims := samples.Shape().Dimensions
	checks := []RuleCheck{
		{"G up-samples with transposed convolutions (no pooling or unpooling)", gConv >= 2,
			fmt.Sprintf("%d transposed-convolution kernels: %s", gConv, strings.Join(gConvNames, ", "))},
		{"D down-samples with strided convolutions (no pooling)", dConv >= 2,
			fmt.Sprintf("%d convolution kernels: %s", dConv, strings.Join(dConvNames, ", "))},
		{"no fully connected hidden layers (only G's projection of z and D's output may be dense)", gDense <= 1 && dDense <= 1,
			fmt.Sprintf("dense layers: G %v, D %v", gDenseNames, dDenseNames)},
		{"batch norm in G (all layers but the output)", bn["G"] == gConv+gDense-1,
			fmt.Sprintf("%d batch-norm layers for %d weighted layers", bn["G"], gConv+gDense)},
		{"batch norm in D (all layers but the input)", bn["D"] > 0,
			fmt.Sprintf("%d batch-norm layers (the TF tutorial's D has none, it uses dropout; so has the paper's with DiscriminatorNorm none)", bn["D"])},
		{"G's output is tanh: images in [−1, 1]", lo >= -1 && hi <= 1 && dims[1] == c.ImageSize && dims[3] == c.Channels,
			fmt.Sprintf("samples %v, values in [%.3f, %.3f]", dims, lo, hi)},
		{"D outputs one logit (probability after a sigmoid) per image", len(dOut) == dims[0],
			fmt.Sprintf("%d outputs for %d images", len(dOut), dims[0])},
	}
	return checks, nil
}
