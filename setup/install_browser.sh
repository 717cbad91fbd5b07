#!/usr/bin/env bash
# Installs what the browser test (setup/browsertest) needs, skipping what is present:
#   - Debian's chromium (the browser, /usr/bin/chromium) and nodejs/npm if missing;
#   - playwright-core, at the version pinned in setup/browsertest/package-lock.json
#     (npm ci; playwright-core downloads no browser, it drives Debian's chromium).
# Idempotent; runs as root (or with sudo for apt); waits for another install that holds
# the package manager (up to 600 s, setup/apt.sh) rather than failing. Exit status 0
# when the test can run; 1 (with a reason on stderr) when something could not be
# installed, so that the test can be skipped with that reason.
# Usage: bash setup/install_browser.sh
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"
cd "$MFE_ROOT"

log() { echo "install_browser: $*"; }

APT_PACKAGES=(chromium nodejs npm)
missing=()
for p in "${APT_PACKAGES[@]}"; do
	case "$p" in
	nodejs | npm) command -v "${p/nodejs/node}" >/dev/null 2>&1 && continue ;;
	esac
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
			echo "install_browser: need root or sudo to install: ${missing[*]}" >&2
			exit 1
		fi
	fi
	log "apt-get install ${missing[*]}"
	# Waits for another install that holds the package manager (setup/apt.sh).
	if ! apt_get update -qq || ! apt_get install -y -qq --no-install-recommends "${missing[@]}"; then
		echo "install_browser: apt-get could not install ${missing[*]}" >&2
		exit 1
	fi
else
	log "chromium, node and npm present"
fi
if [ ! -x /usr/bin/chromium ]; then
	echo "install_browser: /usr/bin/chromium missing after install" >&2
	exit 1
fi

BT="$MFE_ROOT/setup/browsertest"
want="$(node -e 'console.log(require(process.argv[1]).packages["node_modules/playwright-core"].version)' "$BT/package-lock.json")"
have="$(node -e 'try{console.log(require(process.argv[1]).version)}catch(e){}' "$BT/node_modules/playwright-core/package.json" 2>/dev/null || true)"
if [ "$have" != "$want" ]; then
	log "npm ci (playwright-core $want) in setup/browsertest"
	if ! (cd "$BT" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error); then
		echo "install_browser: npm ci failed in setup/browsertest" >&2
		exit 1
	fi
else
	log "playwright-core $have present"
fi
log "done ($(/usr/bin/chromium --version 2>/dev/null | head -n 1))"
