package main

// Draws 64 digits with the pretrained DCGAN-MNIST generator that ships with ganlab and writes
// them to digits.png as an 8×8 grid.

import (
	"log"

	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/dcgan"
	"github.com/ganlab/ganlab/gan"
	"github.com/ganlab/ganlab/plotting"
	"github.com/ganlab/ganlab/pretrained"
)

func main() {
	path, err := pretrained.Path("dcgan-mnist.gob") // the shipped generator, embedded in the binary
	if err != nil {
		log.Fatal(err)
	}
	generator, config, err := dcgan.LoadGenerator(backend.MustNew(""), path)
	if err != nil {
		log.Fatal(err)
	}
	digits, err := generator.Sample(64) // [64, size, size, 1] in [−1, 1]
	if err != nil {
		log.Fatal(err)
	}
	size := config.ImageSize
	grid, err := gan.ImageGridOf(digits, size, size, config.Channels, 8)
	if err != nil {
		log.Fatal(err)
	}
	if err := plotting.SaveImage("digits.png", grid); err != nil {
		log.Fatal(err)
	}
}
