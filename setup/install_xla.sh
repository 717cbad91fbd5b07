#!/usr/bin/env bash
# Installs a PJRT plugin so that the mfe programs and notebooks can run on XLA
# (the Go backend needs nothing). Needs internet access (the plugin comes from
# go-xla's releases, CUDA's from the JAX wheels); the programs themselves never
# download. Once installed, the backend package picks XLA automatically;
# GOMLX_BACKEND=go forces the Go backend back. "none" installs nothing (the Go
# backend alone). A failed download says how to go on without the plugin.
# Usage: bash setup/install_xla.sh [cpu|cuda|none] [LIBDIR]   (default: cpu /usr/local/lib)
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MFE_ROOT"

plugin="${1:-cpu}"
libdir="${2:-/usr/local/lib}"
case "$plugin" in
none)
	echo "install_xla: no PJRT plugin (PJRT_PLUGIN=none): the programs and notebooks run on the Go backend"
	exit 0
	;;
cpu | cuda) ;;
*)
	echo "install_xla: unknown plugin '$plugin': want cpu, cuda or none" >&2
	exit 2
	;;
esac
if ! go run ./mfe/cmd/pjrt-install -plugin "$plugin" -path "$libdir"; then
	cat >&2 <<MSG
install_xla: the PJRT plugin '$plugin' could not be installed (see the error above; its
  download host may be unreachable from here). Without it everything runs on the Go backend:
  in a Docker build, build again with  --build-arg PJRT_PLUGIN=none  (a Go-backend image);
  elsewhere, skip this step.
MSG
	exit 1
fi
echo "install_xla: PJRT plugin '$plugin' in $libdir/go-xla"
