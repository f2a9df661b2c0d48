package dcgan

import (
	"slices"
	"testing"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/blocks"
	"github.com/ganlab/ganlab/gan"
)

// expectFailures checks that exactly the rules want fail on rules (in CheckRules' order) and
// logs every check when they do not.
func expectFailures(t *testing.T, name string, rules Rules, want []string) {
	t.Helper()
	var failed []string
	for _, c := range rules.Checks {
		if !c.OK {
			failed = append(failed, c.Rule)
		}
	}
	if !slices.Equal(failed, want) {
		for _, c := range rules.Checks {
			t.Logf("%v %s: %s", c.OK, c.Rule, c.Detail)
		}
		t.Errorf("%s: rules %q fail, want %q", name, failed, want)
	}
}

func TestCheckRulesOnThePresets(t *testing.T) {
	backend.Quiet()
	b := backend.MustNew("go")
	small := Paper64()
	small.ImageSize, small.BaseWidth = 32, 8
	noNormD := small
	noNormD.DiscriminatorNorm = "none"
	for _, tc := range []struct {
		name string
		c    Config
		want []string
	}{
		{"the paper's model", small, nil},
		{"the paper's model without batch norm in D", noNormD, []string{RuleBatchNorm}},
		{"the TF tutorial's model", MNIST(), []string{RuleBatchNorm, RuleNoDense, RuleReLU}},
	} {
		rules, err := CheckRules(b, tc.c)
		if err != nil {
			t.Fatal(err)
		}
		expectFailures(t, tc.name, rules, tc.want)
	}
	rules, _ := CheckRules(b, small)
	if len(rules.Layers) != 8 || rules.Layers[0].Op != "transposed conv" || !slices.Equal(rules.Layers[3].Out, []int{32, 32, 3}) {
		t.Errorf("the paper's model at 32×32: want 4 transposed convolutions up to [32 32 3] and 4 convolutions, read %+v", rules.Layers)
	}
}

// breaks names one departure from the paper's guidelines that variantModels can build.
type breaks int

const (
	none breaks = iota
	poolInD
	upsampleInG
	noNormInG
	normOnDInput
	hiddenDenseInD
	leakyInG
	reluInD
)

// variantModels builds a 16×16×1 model that follows the paper's guidelines except for one.
func variantModels(broken breaks) (gan.Generator, gan.Discriminator) {
	bn := func(scope *model.Scope, x *Node) *Node { return blocks.BatchNorm(scope, x).Done() }
	relu := func(x *Node) *Node { return Max(x, ZerosLike(x)) }
	lrelu := func(x *Node) *Node { return blocks.LeakyReLU(x, 0.2) }
	gAct, dAct := relu, lrelu
	if broken == leakyInG {
		gAct = lrelu
	}
	if broken == reluInD {
		dAct = relu
	}
	g := func(scope *model.Scope, z *Node) *Node {
		b := z.Shape().Dimensions[0]
		x := Reshape(z, b, 1, 1, z.Shape().Dimensions[1])
		x = blocks.ConvTranspose2D(scope.In("project"), x).Channels(16).KernelSize(4).Padding(blocks.Valid).UseBias(false).Done() // 4×4
		x = gAct(bn(scope.In("bn0"), x))
		if broken == upsampleInG {
			x = Interpolate(x, b, 8, 8, 16).Nearest().Done()
			x = blocks.Conv2D(scope.In("deconv1"), x).Channels(8).KernelSize(3).UseBias(false).Done() // 8×8, stride 1
		} else {
			x = blocks.ConvTranspose2D(scope.In("deconv1"), x).Channels(8).KernelSize(4).Strides(2).Padding(blocks.Symmetric(1)).UseBias(false).Done() // 8×8
		}
		if broken != noNormInG {
			x = bn(scope.In("bn1"), x)
		}
		x = gAct(x)
		x = blocks.ConvTranspose2D(scope.In("deconv2"), x).Channels(1).KernelSize(4).Strides(2).Padding(blocks.Symmetric(1)).UseBias(false).Done() // 16×16
		return Tanh(x)
	}
	d := func(scope *model.Scope, x *Node) *Node {
		b := x.Shape().Dimensions[0]
		if broken == poolInD {
			x = blocks.Conv2D(scope.In("conv1"), x).Channels(8).KernelSize(3).UseBias(false).Done() // 16×16
			x = MaxPool(x).Window(2).Done()                                                         // 8×8
		} else {
			x = blocks.Conv2D(scope.In("conv1"), x).Channels(8).KernelSize(4).Strides(2).Padding(blocks.Symmetric(1)).UseBias(false).Done() // 8×8
		}
		if broken == normOnDInput {
			x = bn(scope.In("bn1"), x)
		}
		x = dAct(x)
		if broken == hiddenDenseInD {
			x = layers.Dense(scope.In("hidden"), Reshape(x, b, -1), false, 8*8*8)
			x = Reshape(dAct(bn(scope.In("bn_hidden"), x)), b, 8, 8, 8)
		}
		x = blocks.Conv2D(scope.In("conv2"), x).Channels(16).KernelSize(4).Strides(2).Padding(blocks.Symmetric(1)).UseBias(false).Done() // 4×4
		x = dAct(bn(scope.In("bn2"), x))
		x = blocks.Conv2D(scope.In("logit"), x).Channels(1).KernelSize(4).Padding(blocks.Valid).UseBias(false).Done() // 1×1
		return Reshape(x, b, 1)
	}
	return g, d
}

// TestCheckRulesFindsEachDeparture builds a model that breaks one guideline at a time and checks
// that exactly that rule fires.
func TestCheckRulesFindsEachDeparture(t *testing.T) {
	backend.Quiet()
	b := backend.MustNew("go")
	for _, tc := range []struct {
		name   string
		broken breaks
		want   []string
	}{
		{"the paper's guidelines", none, nil},
		{"max pooling in D", poolInD, []string{RuleStrided}},
		{"nearest-neighbour up-sampling in G", upsampleInG, []string{RuleStrided}},
		{"a G layer without batch norm", noNormInG, []string{RuleBatchNorm}},
		{"batch norm on D's input layer", normOnDInput, []string{RuleBatchNorm}},
		{"a hidden dense layer in D", hiddenDenseInD, []string{RuleNoDense}},
		{"LeakyReLU in G", leakyInG, []string{RuleReLU}},
		{"ReLU in D", reluInD, []string{RuleLeakyReLU}},
	} {
		g, d := variantModels(tc.broken)
		rules, err := checkNetworks(b, g, d, 10, []int{16, 16, 1})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		expectFailures(t, tc.name, rules, tc.want)
	}
}
