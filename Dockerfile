# mf-optimal-execution: Go 1.27, Jupyter with the GoNB kernel, the XLA CPU
# PJRT plugin and this repository (in /mfe: the Go packages in /mfe/mfe, the
# notebooks in /mfe/notebooks, the mfe command built into /usr/local/bin);
# `docker run -p 8888:8888 IMAGE` serves the notebooks. The image is made by
# the repository's own setup/ scripts.
#
#   docker build -t mfe .
#   docker run --rm -p 8888:8888 mfe                 # then open localhost:8888
#
# GPU variant (NVIDIA, with the NVIDIA container toolkit on the host): the
# CUDA PJRT plugin instead of the CPU one.
#
#   docker build --build-arg PJRT_PLUGIN=cuda -t mfe-cuda .
#   docker run --rm --gpus all -p 8888:8888 mfe-cuda
#
# Inside, the notebooks pick XLA when its plugin is installed; set
# GOMLX_BACKEND=go (docker run -e GOMLX_BACKEND=go ...) for the Go backend.
FROM golang:1.26-bookworm

ARG PJRT_PLUGIN=cpu
ENV GOTOOLCHAIN=go1.27.3 \
    GOEXPERIMENT=simd \
    PATH=/go/bin:/usr/local/go/bin:$PATH

WORKDIR /mfe
COPY . .

# Jupyter (Debian packages), gonb/gopls/goimports and the GoNB kernel spec.
RUN bash setup/install.sh \
    && bash setup/install_xla.sh "$PJRT_PLUGIN" /usr/local/lib \
    && go build -o /usr/local/bin/mfe ./mfe/cmd/mfe \
    && rm -rf /var/lib/apt/lists/*

EXPOSE 8888
CMD ["jupyter", "notebook", "--ip=0.0.0.0", "--port=8888", "--no-browser", "--allow-root", \
     "--NotebookApp.token=", "--notebook-dir=/mfe/notebooks"]
