// Package plotting draws ganlab's figures with gonum/plot and writes them as PNG or SVG, or shows
// them inline in a GoNB notebook:
//
//   - [Curves] with optional moving-average smoothing: losses, D(x) and D(G(z)) over steps;
//   - [Figure1Panel] and [Figure1]: the view of Goodfellow et al. 2014, Figure 1 — data density
//     (dotted black), generator density (solid green), discriminator (dashed blue), and the
//     z → x mapping drawn below;
//   - [Scatter2D]: generated 2-D samples over the modes of the target;
//   - [ImageGrid] and [GIF]: sample grids and training-progress animations.
//
// Every function returns either a *plot.Plot or an image.Image; [Save], [PNG] and [Show] render
// them.
package plotting
