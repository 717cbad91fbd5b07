#!/usr/bin/env bash
# Builds the Docker image's contents (the Dockerfile's one RUN step), as root,
# in the repository copy at /mfe of a golang:1.26-bookworm image:
#   1. the PJRT plugin (setup/install_xla.sh PLUGIN; none: the Go backend only),
#      first, so that an unreachable download host stops the build at once;
#   2. Jupyter, gonb, gopls, goimports (setup/install.sh), with the GoNB kernel
#      spec installed for every user (/usr/local/share/jupyter);
#   3. the mfe command in /usr/local/bin;
#   4. the smoke test, on the backend the image will use: `mfe doctor` (every
#      method trained briefly on Go and on each XLA plugin found, compared),
#      the numerics tests on every backend found (mfe/backend/backendtest),
#      and 00_exact_solution.ipynb headless (setup/notebooks.sh); for CUDA,
#      which needs a GPU that docker build lacks, on the Go backend;
#   5. the user mfe (uid 1000), owner of /mfe and of /go (module and build
#      caches: the notebooks compile as that user).
# setup/imagetest.sh runs the same step in a debootstrapped Debian root.
# Usage: bash setup/image_build.sh [cpu|cuda|none]   (default cpu)
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MFE_ROOT"

plugin="${1:-cpu}"
log() { echo "image_build: $*"; }
step_start=$(date +%s)
done_step() {
	local now
	now=$(date +%s)
	log "$1 ($((now - step_start)) s)"
	step_start=$now
}

# 1. The PJRT plugin.
bash setup/install_xla.sh "$plugin" /usr/local/lib
done_step "PJRT plugin: $plugin"

# 2. Jupyter and the GoNB kernel, for every user.
JUPYTER_DATA_DIR=/usr/local/share/jupyter bash setup/install.sh
done_step "Jupyter and the GoNB kernel"

# 3. The mfe command.
go build -o /usr/local/bin/mfe ./mfe/cmd/mfe
done_step "mfe command"

# 4. The smoke test. A docker build has no GPU, so a CUDA image is tested on
# the Go backend here and on the GPU by `docker run --gpus all IMAGE mfe doctor`.
if [ "$plugin" = cuda ]; then
	log "CUDA needs a GPU, which docker build does not have: the smoke test runs on the Go backend;"
	log "test the GPU with: docker run --rm --gpus all IMAGE mfe doctor"
	export GOMLX_BACKEND=go
	mfe doctor -steps 5 -backend go
else
	mfe doctor -steps 5
fi
go test -count=1 -run 'TestDGMSecondDerivative|TestScoreMatchingGradient|TestResidualsVanishOnExact|TestLangevinGaussian|TestDivergenceGuard|TestCandidates|TestEachRunsGo' \
	./mfe/backend/... ./mfe/nn ./mfe/solver/dgm ./mfe/solver/actorcritic ./mfe/solver/internal/nettrain
nbout="$(mktemp -d)"
MFE_PROFILE=quick bash setup/notebooks.sh --out "$nbout" notebooks/00_exact_solution.ipynb
rm -rf "$nbout"
done_step "smoke test (mfe doctor, numerics tests, notebook 00)"

# 5. The user mfe.
id -u mfe >/dev/null 2>&1 || useradd --create-home --uid 1000 --shell /bin/bash mfe
mkdir -p "$(go env GOCACHE)"
chown -R mfe:mfe "$MFE_ROOT" "$(go env GOPATH)" "$(go env GOCACHE)"
rm -rf /var/lib/apt/lists/*
done_step "user mfe owns $MFE_ROOT, $(go env GOPATH) and $(go env GOCACHE)"
log "done"
