// Package blocks holds the neural-network building blocks that every ganlab model shares and
// that GoMLX's pure-Go backend lacks or runs slowly. Each is a graph function on NHWC tensors
// (batch, height, width, channels), differentiable, and tested against a direct plain-Go
// implementation and against finite differences in float64.
//
//   - [Conv]: 2-D convolution with strides and padding, as im2col + one matrix product inside the
//     graph (the go backend's native convolution is a plain loop, several times slower).
//     [Conv2D] is the layer (own kernel and bias variables).
//   - [ConvTranspose]: transposed convolution, DCGAN's up-sampling layer (Radford et al. 2015,
//     §3: "fractional-strided convolutions"), with Keras/TF "same"/"valid" and PyTorch
//     padding/output_padding semantics. [ConvTranspose2D] is the layer.
//   - [BatchNormTrain], [BatchNormInference] and the [BatchNorm] layer (Ioffe & Szegedy 2015):
//     full gradient through the batch statistics, moving averages for inference. GoMLX's
//     norm.BatchNorm is not implemented on the go backend.
//   - [LeakyReLU] with a slope (DCGAN's discriminator uses 0.2).
//   - [SampleBilinear] and [Warp]: reading an image at a real-valued flow/UV field, with
//     gradients to both (the bi-layer avatar's texture warping). [CornerTable] lays an image
//     out once for [SampleTable] and [WarpTable], which read it at many sets of points.
//   - [AdaIN]: adaptive instance normalization (Huang & Belongie 2017).
//   - [InferenceExec]: a model.Exec for samplers and evaluators that never reads stale weights.
//
// # Layout and padding conventions
//
// Images are [N, H, W, C]; kernels are [KH, KW, Cin, Cout] for both Conv and ConvTranspose.
// "Same" padding follows TF: output ceil(H/stride), any odd pixel of padding at the bottom/right.
// A transposed convolution with the same kernel, strides and padding is exactly the gradient
// of the convolution; the tests check this identity.
//
// # Traps on the go backend that these blocks avoid
//
// Rsqrt and Floor have no gradient (Sqrt+Div and StopGradient(Floor) are used), Clamp has none
// (Min/Max are used), and an Exec built outside training mode embeds variables as constants
// ([InferenceExec] rebuilds it when they change).
package blocks
