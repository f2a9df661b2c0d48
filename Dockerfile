# syntax=docker/dockerfile:1
# ganlab in JupyterLab: the GoNB kernel, Go 1.27.3, an XLA PJRT plugin installed at build time,
# the project with its modules downloaded and packages prebuilt, the notebooks open at start.
#
#   docker build -t ganlab .                                  # XLA CPU plugin
#   docker build -t ganlab-cuda --build-arg XLA_PLUGIN=cuda .  # XLA CUDA plugin (run with --gpus all)
#   docker run --rm -p 8888:8888 ganlab                        # then open the printed http://127.0.0.1:8888/lab?token=… URL
#
# Every install step lives in scripts/deps.sh, which CI runs too (all but the pip and XLA steps,
# which need the network); internal/dockerlint checks this file's rules in `make test`.
ARG GO_IMAGE=golang:1.27.3-bookworm
FROM ${GO_IMAGE}

ARG XLA_PLUGIN=cpu
ARG JUPYTERLAB_VERSION=4.2.5

ENV GOTOOLCHAIN=go1.27.3 \
    GOEXPERIMENT=simd \
    GOMLX_NO_AUTO_INSTALL=1 \
    VIRTUAL_ENV=/opt/jupyter \
    PATH=/opt/jupyter/bin:/home/ganlab/go/bin:/usr/local/go/bin:$PATH

# Debian packages (headless notebook execution, Fashion-MNIST), JupyterLab in a virtual
# environment (PyPI), and the non-root user that runs everything else.
RUN apt-get update \
 && apt-get install -y --no-install-recommends make python3 python3-venv jupyter-nbconvert jupyter-client dataset-fashion-mnist \
 && rm -rf /var/lib/apt/lists/* \
 && python3 -m venv --system-site-packages /opt/jupyter \
 && /opt/jupyter/bin/pip install --no-cache-dir "jupyterlab==${JUPYTERLAB_VERSION}" \
 && useradd --create-home --uid 1000 ganlab

USER ganlab
WORKDIR /home/ganlab/ganlab
COPY --chown=ganlab:ganlab . .

# Modules (MNIST included), the GoNB kernel with GOEXPERIMENT=simd in its environment, the
# packages and the ganlab binary prebuilt, and the XLA plugin.
RUN scripts/deps.sh --prebuild --xla "${XLA_PLUGIN}"

EXPOSE 8888
CMD ["jupyter", "lab", "--ip=0.0.0.0", "--port=8888", "--no-browser", "--notebook-dir=/home/ganlab/ganlab/notebooks"]
