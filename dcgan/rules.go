package dcgan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/support/exceptions"

	"github.com/ganlab/ganlab/gan"
)

// Layer is one weighted layer of a built network, as CheckRules reads it from the graph.
type Layer struct {
	Net string // "G" or "D"
	// Op is "dense", "conv" (the output is no larger than the input) or "transposed conv" (the
	// output is larger: a fractional-strided convolution).
	Op        string
	Kernel    []int // the weight variable's shape
	In, Out   []int // the activation's shape before and after the layer, without the batch axis
	BatchNorm bool  // normalized with the batch's statistics after the layer
	// Activation is what follows the layer (and its batch norm): "ReLU", "LeakyReLU(0.2)",
	// "tanh", "sigmoid", or "none" (a logit).
	Activation string
}

// RuleCheck is one of the paper's architecture guidelines checked on a built model.
type RuleCheck struct {
	Rule   string
	OK     bool
	Detail string // what was found: the layers that depart from the rule, or why it holds
}

// Rules is what CheckRules read from a model's graph: its weighted layers in order (G's, then
// D's) and the five guidelines checked on them.
type Rules struct {
	Layers []Layer
	Checks []RuleCheck
}

// The guidelines of Radford et al. 2015, §3, in the order CheckRules reports them.
const (
	RuleStrided    = "strided convolutions in D, fractional-strided in G, no pooling"
	RuleBatchNorm  = "batch norm in G and D, except G's output and D's input layers"
	RuleNoDense    = "no fully connected hidden layers"
	RuleReLU       = "ReLU in G, tanh at its output"
	RuleLeakyReLU  = "LeakyReLU in D"
	rulesBatchSize = 5 // an odd batch size that no channel or spatial size of the presets equals
)

// CheckRules builds c's generator and discriminator in one training-mode graph, z → G → D, and
// checks Radford et al.'s five architecture guidelines (§3) on the operations it contains, not on
// c's fields. A layer is a matrix product or convolution with a weight variable; its input and
// output shapes, the batch statistics that normalize it and the activation that follows come
// from the graph (blocks' im2col and sub-pixel formulations, or GoMLX's native convolution).
// Pooling or up-sampling without weights shows as a change of the spatial size between two
// layers, or between G's last layer and the image.
//
// The paper's presets meet every guideline. The TF tutorial's model departs from three: its Dense
// projection of z and Dense logit, its discriminator without batch norm (it uses dropout), and
// LeakyReLU in G.
func CheckRules(backend compute.Backend, c Config) (Rules, error) {
	g, d, err := c.Models()
	if err != nil {
		return Rules{}, err
	}
	return checkNetworks(backend, g, d, c.LatentDim, []int{c.ImageSize, c.ImageSize, c.Channels})
}

// checkNetworks reads the layers of the pair g, d (latent size latent, images of shape image
// [H, W, C]) and checks the guidelines on them.
func checkNetworks(backend compute.Backend, g gan.Generator, d gan.Discriminator, latent int, image []int) (rules Rules, err error) {
	var readErr error
	exec, err := model.NewExec(backend, model.NewStore(), func(scope *model.Scope, z *Node) *Node {
		scope.SetTraining(z.Graph(), true)
		x := g(scope.In(gan.GenScope), z)
		logit := d(scope.In(gan.DiscScope), x)
		rules.Layers, readErr = readLayers(z, x, logit, image)
		return logit
	})
	if err != nil {
		return Rules{}, err
	}
	defer exec.Finalize()
	z := tensors.FromShape(shapes.Make(dtypes.Float32, rulesBatchSize, latent))
	if e := exceptions.TryCatch[error](func() { _, err = exec.Call(z) }); e != nil {
		return Rules{}, fmt.Errorf("building the model: %w", e)
	}
	if err != nil {
		return Rules{}, err
	}
	if readErr != nil {
		return Rules{}, readErr
	}
	rules.Checks = checkLayers(rules.Layers, image)
	return rules, nil
}

// layoutOps move or copy values without computing new ones: an im2col, a padding, a reshape, an
// identity (which blocks' matrix products use to attach their gradients).
var layoutOps = map[NodeType]bool{NodeTypeIdentity: true, NodeTypeReshape: true, NodeTypeTranspose: true, NodeTypeSlice: true,
	NodeTypePad: true, NodeTypeGather: true, NodeTypeReverse: true, NodeTypeBroadcastInDim: true, NodeTypeConvertDType: true}

// graphReader holds what readLayers knows about each node of the graph.
type graphReader struct {
	nodes     []*Node
	data      map[*Node]bool // computed from z
	depth     map[*Node]int  // weighted layers on the longest path from z
	consumers map[*Node][]*Node
}

// readLayers finds the weighted layers between z and logit (G's output is x) in z's graph.
func readLayers(z, x, logit *Node, image []int) ([]Layer, error) {
	r := graphReader{nodes: z.Graph().Nodes(), data: map[*Node]bool{z: true}, depth: map[*Node]int{}, consumers: map[*Node][]*Node{}}
	var weighted []*Node
	for _, n := range r.nodes {
		for _, in := range n.Inputs() {
			r.consumers[in] = append(r.consumers[in], n)
			if r.data[in] {
				r.data[n] = true
				r.depth[n] = max(r.depth[n], r.depth[in])
			}
		}
		if r.data[n] && r.kernelOf(n) != nil {
			r.depth[n]++
			weighted = append(weighted, n)
		}
	}
	if len(weighted) == 0 || !r.data[logit] {
		return nil, fmt.Errorf("no weighted layer connects z to D's output")
	}
	var layers []Layer
	for i, op := range weighted {
		if i > 0 && r.depth[op] == r.depth[weighted[i-1]] {
			return nil, fmt.Errorf("two weighted layers side by side (%s and %s): CheckRules reads a chain of layers", weighted[i-1].Type(), op.Type())
		}
		net := "G"
		if r.depth[op] > r.depth[x] {
			net = "D"
		}
		l := Layer{Net: net, Kernel: r.kernelOf(op).Shape().Dimensions, In: r.inputShape(op), Out: r.outputShape(op)}
		l.Op = "dense"
		if len(l.Kernel) == 4 {
			l.Op = "conv"
			if len(l.In) == 3 && len(l.Out) == 3 && l.Out[0]*l.Out[1] > l.In[0]*l.In[1] {
				l.Op = "transposed conv"
			}
		}
		l.BatchNorm, l.Activation = r.segment(r.depth[op])
		layers = append(layers, l)
	}
	// G's output and the first D layer's input: a resampling after G's last layer shows there.
	if out := withoutBatch(x.Shape()); !slices.Equal(out, image) {
		return nil, fmt.Errorf("G outputs %v, not the image shape %v", out, image)
	}
	return layers, nil
}

// kernelOf returns the weight variable of a weighted operation n (a matrix product or
// convolution of data with a rank-2 or rank-4 parameter), or nil.
func (r *graphReader) kernelOf(n *Node) *Node {
	switch n.Type() {
	case NodeTypeDotGeneral, NodeTypeConvGeneral, NodeTypeFusedDense:
	default:
		return nil
	}
	for _, in := range n.Inputs() {
		if r.data[in] {
			continue
		}
		var kernel *Node
		r.ancestors(in, func(a *Node) {
			if a.Type() == NodeTypeParameter && (a.Rank() == 2 || a.Rank() == 4) && (kernel == nil || a.Shape().Size() > kernel.Shape().Size()) {
				kernel = a
			}
		})
		if kernel != nil {
			return kernel
		}
	}
	return nil
}

// ancestors calls visit on n and every node it is computed from.
func (r *graphReader) ancestors(n *Node, visit func(*Node)) {
	seen := map[*Node]bool{}
	var walk func(*Node)
	walk = func(n *Node) {
		if seen[n] {
			return
		}
		seen[n] = true
		visit(n)
		for _, in := range n.Inputs() {
			walk(in)
		}
	}
	walk(n)
}

// inputShape is the activation a weighted operation reads: back from its data operand through
// identities, the im2col (a reshape of gathered windows) and the padding, to the first node that
// computes something or changes the spatial size by other means.
func (r *graphReader) inputShape(op *Node) []int {
	var n *Node
	for _, in := range op.Inputs() {
		if r.data[in] {
			n = in
			break
		}
	}
	batched := func(n *Node) bool { return n.Rank() == 4 && n.Shape().Dimensions[0] == rulesBatchSize }
	for n.Type() == NodeTypeIdentity {
		n = n.Inputs()[0]
	}
	if n.Type() == NodeTypeReshape && n.Rank() == 2 && n.Inputs()[0].Rank() >= 4 {
		for n.Type() == NodeTypeReshape && !batched(n) {
			n = n.Inputs()[0] // im2col's rows, from its windows
		}
		if n.Type() == NodeTypeGather {
			n = n.Inputs()[0] // the windows' source
		}
		for (n.Type() == NodeTypePad || n.Type() == NodeTypeSlice || n.Type() == NodeTypeIdentity) && batched(n) {
			n = n.Inputs()[0]
		}
	}
	return withoutBatch(n.Shape())
}

// outputShape is the activation a weighted operation produces: forward from it along the chain
// of layout operations that only it feeds (the reshape to an image, a sub-pixel interleave and
// crop), the last shape with a batch axis.
func (r *graphReader) outputShape(op *Node) []int {
	out := withoutBatch(op.Shape())
	for n := op; len(r.consumers[n]) == 1 && layoutOps[r.consumers[n][0].Type()]; {
		n = r.consumers[n][0]
		if n.Rank() >= 2 && n.Shape().Dimensions[0] == rulesBatchSize {
			out = withoutBatch(n.Shape())
		}
	}
	return out
}

// segment reads what follows the weighted layer at depth: whether a batch statistic (a
// reduction over the batch axis feeding a square root) normalizes it, and its activation.
func (r *graphReader) segment(depth int) (batchNorm bool, activation string) {
	stats := map[*Node]bool{}
	var acts []string
	for _, n := range r.nodes {
		if !r.data[n] || r.depth[n] != depth {
			continue
		}
		for _, in := range n.Inputs() {
			stats[n] = stats[n] || stats[in]
		}
		switch n.Type() {
		case NodeTypeReduceSum, NodeTypeReduceMax, NodeTypeReduceMin:
			in := n.Inputs()[0].Shape()
			if in.Rank() > 0 && in.Dimensions[0] == rulesBatchSize && (n.Rank() == 0 || n.Shape().Dimensions[0] != rulesBatchSize) {
				stats[n] = true
			}
		case NodeTypeSqrt, NodeTypeRsqrt:
			batchNorm = batchNorm || stats[n]
		case NodeTypeTanh:
			acts = append(acts, "tanh")
		case NodeTypeLogistic:
			acts = append(acts, "sigmoid")
		case NodeTypeMax:
			a, b := n.Inputs()[0], n.Inputs()[1]
			switch {
			case r.data[a] && r.data[b]:
				acts = append(acts, r.leaky(a, b))
			case r.data[a] || r.data[b]:
				acts = append(acts, "ReLU")
			}
		case NodeTypeWhere:
			cond, a, b := n.Inputs()[0], n.Inputs()[1], n.Inputs()[2]
			if r.data[cond] && r.data[a] && r.data[b] {
				acts = append(acts, r.leaky(a, b))
			}
		}
	}
	if len(acts) == 0 {
		return batchNorm, "none"
	}
	return batchNorm, strings.Join(slices.Compact(acts), " + ")
}

// leaky names a select between x and slope·x: "LeakyReLU(slope)".
func (r *graphReader) leaky(a, b *Node) string {
	for _, pair := range [][2]*Node{{a, b}, {b, a}} {
		x, scaled := pair[0], pair[1]
		if scaled.Type() != NodeTypeMul || !slices.Contains(scaled.Inputs(), x) {
			continue
		}
		for _, s := range scaled.Inputs() {
			for s.Type() == NodeTypeBroadcastInDim || s.Type() == NodeTypeReshape {
				s = s.Inputs()[0]
			}
			if v := s.ConstantValue(); v != nil && v.Shape().Size() == 1 {
				return fmt.Sprintf("LeakyReLU(%.3g)", scalarOf(v))
			}
		}
		return "LeakyReLU"
	}
	return "max of two activations"
}

// scalarOf returns the one value of a float tensor.
func scalarOf(t *tensors.Tensor) float64 {
	var v float64
	tensors.MustConstFlatData[float32](t, func(flat []float32) { v = float64(flat[0]) })
	return v
}

// withoutBatch drops the leading batch axis.
func withoutBatch(s shapes.Shape) []int {
	if s.Rank() == 0 {
		return nil
	}
	return slices.Clone(s.Dimensions[1:])
}

// checkLayers checks the five guidelines on a model's layers (images of shape image).
func checkLayers(layers []Layer, image []int) []RuleCheck {
	var gl, dl []Layer
	for _, l := range layers {
		if l.Net == "G" {
			gl = append(gl, l)
		} else {
			dl = append(dl, l)
		}
	}
	var strided, norm, dense, relu, leaky []string
	name := func(l Layer, i int) string { return fmt.Sprintf("%s%d (%s)", l.Net, i+1, l.Op) }
	for _, net := range [][]Layer{gl, dl} {
		for i, l := range net {
			last := i == len(net)-1
			switch {
			case l.Op != "dense":
			case l.Net == "G" && i == 0:
				dense = append(dense, "G1 projects z with a dense layer")
			case l.Net == "D" && last:
				dense = append(dense, fmt.Sprintf("D%d is a dense logit", i+1))
			default:
				dense = append(dense, name(l, i)+" is a hidden dense layer")
			}
			if l.Net == "G" && l.Op == "conv" && sizeOf(l.Out) < sizeOf(l.In) {
				strided = append(strided, name(l, i)+" down-samples")
			}
			if l.Net == "D" && l.Op == "transposed conv" {
				strided = append(strided, name(l, i)+" up-samples")
			}
			if i > 0 {
				prev := net[i-1]
				if !slices.Equal(prev.Out, l.In) && !(len(prev.Out) != len(l.In) && prod(prev.Out) == prod(l.In)) {
					strided = append(strided, fmt.Sprintf("%s%d→%s%d resampled %v → %v without weights", l.Net, i, l.Net, i+1, prev.Out, l.In))
				}
			}
			wantNorm := !(l.Net == "G" && last) && !(l.Net == "D" && (i == 0 || last))
			switch {
			case wantNorm && !l.BatchNorm:
				norm = append(norm, name(l, i)+" has none")
			case !wantNorm && l.BatchNorm:
				norm = append(norm, name(l, i)+" has one")
			}
			switch {
			case l.Net == "G" && last && l.Activation != "tanh":
				relu = append(relu, name(l, i)+" ends with "+l.Activation)
			case l.Net == "G" && !last && l.Activation != "ReLU":
				relu = append(relu, name(l, i)+": "+l.Activation)
			case l.Net == "D" && last && l.Activation != "none":
				leaky = append(leaky, name(l, i)+" (the logit) is followed by "+l.Activation)
			case l.Net == "D" && !last && !strings.HasPrefix(l.Activation, "LeakyReLU"):
				leaky = append(leaky, name(l, i)+": "+l.Activation)
			}
		}
	}
	if len(dl) > 0 && !slices.Equal(dl[0].In, image) {
		strided = append(strided, fmt.Sprintf("D1 reads %v, not the image %v", dl[0].In, image))
	}
	if len(gl) > 0 && !slices.Equal(gl[len(gl)-1].Out, image) {
		strided = append(strided, fmt.Sprintf("G%d outputs %v, resampled to the image %v", len(gl), gl[len(gl)-1].Out, image))
	}
	check := func(rule string, found []string, ok string) RuleCheck {
		if len(found) == 0 {
			return RuleCheck{rule, true, ok}
		}
		return RuleCheck{rule, false, strings.Join(found, "; ")}
	}
	sizes := func(net []Layer) string {
		var s []string
		for _, l := range net {
			if len(l.Out) == 3 {
				s = append(s, fmt.Sprint(l.Out[0]))
			}
		}
		return strings.Join(s, "→")
	}
	return []RuleCheck{
		check(RuleStrided, strided, fmt.Sprintf("G: %s, D: %s (spatial size after each layer), no pooling", sizes(gl), sizes(dl))),
		check(RuleBatchNorm, norm, fmt.Sprintf("%d of %d G layers, %d of %d D layers", countNorm(gl), len(gl), countNorm(dl), len(dl))),
		check(RuleNoDense, dense, "every layer is a convolution"),
		check(RuleReLU, relu, fmt.Sprintf("%d ReLU layers, then tanh", len(gl)-1)),
		check(RuleLeakyReLU, leaky, fmt.Sprintf("%d %s layers, then the logit", len(dl)-1, firstActivation(dl))),
	}
}

func countNorm(layers []Layer) (n int) {
	for _, l := range layers {
		if l.BatchNorm {
			n++
		}
	}
	return n
}

func firstActivation(layers []Layer) string {
	if len(layers) == 0 {
		return "no"
	}
	return layers[0].Activation
}

// sizeOf is the spatial size H·W of an activation shape (1 for a flat one).
func sizeOf(s []int) int {
	if len(s) == 3 {
		return s[0] * s[1]
	}
	return 1
}

func prod(s []int) int {
	p := 1
	for _, v := range s {
		p *= v
	}
	return p
}
