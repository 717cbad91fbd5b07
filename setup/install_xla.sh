#!/usr/bin/env bash
# Installs a PJRT plugin so that the mfe programs and notebooks can run on XLA
# (the Go backend needs nothing). Needs internet access (the plugin comes from
# go-xla's releases, CUDA's from the JAX wheels); the programs themselves never
# download. Once installed, the backend package picks XLA automatically;
# GOMLX_BACKEND=go forces the Go backend back.
# Usage: bash setup/install_xla.sh [cpu|cuda] [LIBDIR]   (default: cpu /usr/local/lib)
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MFE_ROOT"

plugin="${1:-cpu}"
libdir="${2:-/usr/local/lib}"
go run ./mfe/cmd/pjrt-install -plugin "$plugin" -path "$libdir"
echo "install_xla: PJRT plugin '$plugin' in $libdir/go-xla"
