# Environment for building, testing and running mf-optimal-execution.
# Source it (bash): `source setup/env.sh`. Safe to source many times.
#
#  - GOTOOLCHAIN=go1.27.3: gomlx v0.28.16 needs Go 1.27; an older installed `go`
#    (e.g. 1.26) fetches and runs this toolchain from the module proxy.
#  - GOEXPERIMENT=simd: the Go backend's SIMD kernels.
#  - PATH gains $(go env GOPATH)/bin (gonb, gopls, goimports from setup/install.sh).
# It sets no shell options, so it can be sourced from interactive shells.

export GOTOOLCHAIN=go1.27.3
export GOEXPERIMENT=simd

if ! command -v go >/dev/null 2>&1; then
	for _mfe_d in /usr/local/go/bin /usr/lib/go/bin "$HOME/go/bin" "$HOME/sdk/go/bin"; do
		if [ -x "$_mfe_d/go" ]; then
			export PATH="$_mfe_d:$PATH"
			break
		fi
	done
	unset _mfe_d
fi

MFE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export MFE_ROOT

if command -v go >/dev/null 2>&1; then
	MFE_GOBIN="$(go env GOBIN)"
	if [ -z "$MFE_GOBIN" ]; then
		MFE_GOBIN="$(go env GOPATH)/bin"
	fi
	export MFE_GOBIN
	case ":$PATH:" in
	*":$MFE_GOBIN:"*) ;;
	*) export PATH="$MFE_GOBIN:$PATH" ;;
	esac
fi
