#!/usr/bin/env bash
# Installs what the test suite and the notebooks need, skipping what is present:
#   - Debian packages for headless Jupyter (nbconvert, nbclient, ipykernel, notebook UI);
#   - gonb (GoNB kernel), gopls and goimports at the versions pinned in setup/tools/go.mod;
#   - the GoNB kernel spec (gonb --install), with its env set to GOTOOLCHAIN, GOEXPERIMENT
#     and a PATH holding go, gopls and goimports.
# Idempotent; runs as root (or with sudo for apt). Needs only the Debian archive and the
# Go module proxy. Usage: bash setup/install.sh
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"
cd "$MFE_ROOT"

log() { echo "install: $*"; }

if ! command -v go >/dev/null 2>&1; then
	echo "install: no 'go' command found: install Go (1.26 or newer) first" >&2
	exit 1
fi

# --- Debian packages -------------------------------------------------------------
APT_PACKAGES=(jupyter-client jupyter-nbconvert python3-nbclient python3-nbformat python3-ipykernel jupyter-notebook)
missing=()
for p in "${APT_PACKAGES[@]}"; do
	if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]; then
		missing+=("$p")
	fi
done
if [ ${#missing[@]} -gt 0 ]; then
	SUDO=()
	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null 2>&1; then
			SUDO=(sudo)
		else
			echo "install: need root or sudo to install: ${missing[*]}" >&2
			exit 1
		fi
	fi
	log "apt-get install ${missing[*]}"
	# Waits for another install that holds the package manager (setup/apt.sh).
	apt_get update -qq
	apt_get install -y -qq --no-install-recommends "${missing[@]}"
else
	log "Debian packages present"
fi

# --- Go tools (gonb, gopls, goimports) ---------------------------------------------
# Versions come from setup/tools/go.mod; a binary is rebuilt if missing or if
# `go version -m` shows another module version.
TOOLS_DIR="$MFE_ROOT/setup/tools"
modver() { awk -v m="$1" '$1==m && $2 ~ /^v/ {print $2; exit}' "$TOOLS_DIR/go.mod"; }
declare -A WANT=(
	[gonb]="github.com/janpfeifer/gonb $(modver github.com/janpfeifer/gonb)"
	[gopls]="golang.org/x/tools/gopls $(modver golang.org/x/tools/gopls)"
	[goimports]="golang.org/x/tools $(modver golang.org/x/tools)"
)
rebuild=0
for t in gonb gopls goimports; do
	have="$(go version -m "$MFE_GOBIN/$t" 2>/dev/null | awk '$1=="mod" {print $2, $3; exit}' || true)"
	if [ "$have" != "${WANT[$t]}" ]; then
		log "$t: have '${have:-none}', want '${WANT[$t]}'"
		rebuild=1
	fi
done
if [ $rebuild -eq 1 ]; then
	log "building gonb, gopls, goimports into $MFE_GOBIN (a few minutes the first time)"
	(cd "$TOOLS_DIR" && GOBIN="$MFE_GOBIN" go install github.com/janpfeifer/gonb golang.org/x/tools/gopls golang.org/x/tools/cmd/goimports)
else
	log "gonb, gopls, goimports up to date in $MFE_GOBIN"
fi

# --- GoNB kernel spec --------------------------------------------------------------
JUPYTER_DATA="${JUPYTER_DATA_DIR:-$HOME/.local/share/jupyter}"
KERNEL_JSON="$JUPYTER_DATA/kernels/gonb/kernel.json"
if [ ! -f "$KERNEL_JSON" ] || ! grep -q "\"$MFE_GOBIN/gonb\"" "$KERNEL_JSON"; then
	log "gonb --install"
	"$MFE_GOBIN/gonb" --install >/dev/null 2>&1 || "$MFE_GOBIN/gonb" --install
fi
if [ ! -f "$KERNEL_JSON" ]; then
	echo "install: gonb --install did not write $KERNEL_JSON" >&2
	exit 1
fi
# The kernel (and the go/gopls/goimports it runs) must see the same toolchain and
# experiment flags as this shell, and find go, gopls and goimports on PATH.
GO_DIR="$(dirname "$(command -v go)")"
KPATH="$MFE_GOBIN:$GO_DIR"
IFS=: read -r -a _path <<<"$PATH"
for d in "${_path[@]}" /usr/local/bin /usr/bin /bin; do
	case ":$KPATH:" in *":$d:"*) ;; *) [ -n "$d" ] && KPATH="$KPATH:$d" ;; esac
done
python3 - "$KERNEL_JSON" "$GOTOOLCHAIN" "$GOEXPERIMENT" "$KPATH" <<'PY'
import json, sys
path, toolchain, experiment, kpath = sys.argv[1:5]
with open(path) as f:
    spec = json.load(f)
env = spec.get("env") or {}
env.update({"GOTOOLCHAIN": toolchain, "GOEXPERIMENT": experiment, "PATH": kpath})
spec["env"] = env
with open(path, "w") as f:
    json.dump(spec, f, indent=1)
    f.write("\n")
PY
log "GoNB kernel spec: $KERNEL_JSON (env: GOTOOLCHAIN=$GOTOOLCHAIN GOEXPERIMENT=$GOEXPERIMENT)"
kernels="$(jupyter kernelspec list 2>/dev/null || true)"
if ! grep -qw gonb <<<"$kernels"; then
	echo "install: jupyter does not list the gonb kernel" >&2
	exit 1
fi
log "done"
