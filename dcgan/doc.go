// Package dcgan builds deep convolutional GANs (Radford, Metz & Chintala 2015): transposed
// convolutions with ReLU/LeakyReLU and batch norm in the generator, a tanh output; strided
// convolutions with LeakyReLU in the discriminator, a logit output; no hidden fully connected
// layers beyond the projection of z. The models plug into gan.Trainer.
package dcgan
