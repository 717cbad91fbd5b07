# mf-optimal-execution: Go 1.27, Jupyter with the GoNB kernel, a PJRT plugin
# for XLA and this repository (in /mfe: the Go packages in /mfe/mfe, the
# notebooks in /mfe/notebooks, the mfe command built into /usr/local/bin). The
# image is made by the repository's own setup/ scripts (setup/image_build.sh)
# and tests itself while it is built: `mfe doctor` trains every method briefly
# on the Go backend and on XLA and compares them, and the exact-solution
# notebook runs headless, so a broken XLA path fails the build.
#
#   docker build -t mfe .
#   docker run --rm -p 127.0.0.1:8888:8888 mfe
#
# Jupyter runs as the unprivileged user mfe and asks for a token: open the
# URL with ?token=... that it prints in the log, or choose the token with
# `docker run -e JUPYTER_TOKEN=...`. The port is published on the host's
# loopback only; from another machine, tunnel it over SSH
# (`ssh -L 8888:127.0.0.1:8888 HOST`, then open localhost:8888 there)
# rather than publishing it on every interface.
#
# PJRT_PLUGIN chooses XLA's plugin: cpu (default), cuda (NVIDIA GPUs, with the
# NVIDIA container toolkit on the host: `docker run --gpus all ...`), or none
# for an image on the Go backend alone (where the plugin's download host
# cannot be reached, the build stops and says so):
#
#   docker build --build-arg PJRT_PLUGIN=cuda -t mfe-cuda .
#   docker build --build-arg PJRT_PLUGIN=none -t mfe-go .
#
# Inside, the notebooks pick XLA when its plugin is installed; set
# GOMLX_BACKEND=go (docker run -e GOMLX_BACKEND=go ...) for the Go backend.
# setup/imagetest.sh runs these steps in a fresh Debian root without Docker.
FROM golang:1.26-bookworm

ARG PJRT_PLUGIN=cpu
ENV GOTOOLCHAIN=go1.27.3 \
    GOEXPERIMENT=simd \
    GOCACHE=/go/cache \
    PATH=/go/bin:/usr/local/go/bin:$PATH

WORKDIR /mfe
COPY . .

# The PJRT plugin (setup/install_xla.sh), Jupyter and the GoNB kernel
# (setup/install.sh), the mfe command, the smoke test, then /go and /mfe
# handed to the user mfe.
RUN bash setup/image_build.sh "$PJRT_PLUGIN"

USER mfe
EXPOSE 8888
CMD ["jupyter", "notebook", "--ip=0.0.0.0", "--port=8888", "--no-browser", "--notebook-dir=/mfe/notebooks"]
