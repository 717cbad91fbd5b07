#!/usr/bin/env bash
# The browser test: drives the notebooks in a real browser (headless Debian chromium,
# through playwright-core) against Jupyter's notebook server (Debian's jupyter-notebook)
# running the GoNB kernel on loopback. See notebooks.test.mjs for what it checks.
#
#   bash setup/browsertest/run.sh            (test.sh runs it after the notebooks)
#
# Installs what is missing (setup/install.sh, setup/install_browser.sh), waiting for
# another install that holds the package manager (up to 600 s) rather than skipping.
# Works on copies of the notebooks in a temporary workspace that links to the
# repository, so the committed notebooks are never touched. Screenshots go to $MFE_SCREENSHOTS (default: the
# workspace's screenshots/); `MFE_SCREENSHOTS=notebooks/figures/screenshots bash setup/browsertest/run.sh`
# refreshes the committed ones. MFE_BROWSER_TESTS=explorer runs only the explorer test.
# MFE_JUPYTER_URL (with MFE_JUPYTER_TOKEN when it asks for one) tests a server already
# running instead, e.g. the image's in setup/imagetest.sh, with its notebooks in
# MFE_NOTEBOOK_PREFIX below its root (default notebooks/); its kernels are shut down
# at the end, the server is left running.
# Ends with "browser: N passed, M failed" or "browser: SKIPPED (reason)"; exit status 0
# when it passed or was skipped because no browser could be installed, 1 on failure.
set -uo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../env.sh"
cd "$MFE_ROOT"

skip() {
	echo "browser: SKIPPED ($*)"
	exit 0
}

if ! bash setup/install_browser.sh; then
	skip "no browser could be installed: see install_browser's message above"
fi
ws="$(mktemp -d /tmp/mfe-browser.XXXXXX)"
shots="${MFE_SCREENSHOTS:-$ws/screenshots}"
case "$shots" in /*) ;; *) shots="$MFE_ROOT/$shots" ;; esac
mkdir -p "$shots"
auth=()
[ -n "${MFE_JUPYTER_TOKEN:-}" ] && auth=(-H "Authorization: token $MFE_JUPYTER_TOKEN")
shutdown_kernels() { # through the API of the server at $1
	curl -s "${auth[@]}" "$1/api/kernels" 2>/dev/null |
		python3 -c 'import json, sys; [print(k["id"]) for k in json.load(sys.stdin)]' 2>/dev/null |
		while read -r k; do curl -s "${auth[@]}" -X DELETE "$1/api/kernels/$k" >/dev/null || true; done
}

if [ -n "${MFE_JUPYTER_URL:-}" ]; then
	url="$MFE_JUPYTER_URL"
	server=""
else
	command -v jupyter-notebook >/dev/null 2>&1 || bash setup/install.sh >/dev/null || true
	command -v jupyter-notebook >/dev/null 2>&1 || { echo "browser: 0 passed, 1 failed (no jupyter-notebook after setup/install.sh)"; exit 1; }

	# The workspace mirrors the repository (symbolic links) with real copies of the
	# notebooks, so that gonb_module.sh (run from $ws/notebooks) points the kernel at $ws,
	# i.e. at the repository's code, while the server saves only the copies.
	for f in "$MFE_ROOT"/*; do
		b="$(basename "$f")"
		[ "$b" = notebooks ] || ln -s "$f" "$ws/$b"
	done
	mkdir -p "$ws/notebooks" "$ws/runtime" "$ws/config"
	cp "$MFE_ROOT"/notebooks/*.ipynb "$ws/notebooks/"

	# On loopback, with a token of its own, as root (this machine's test runs as root).
	port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
	MFE_JUPYTER_TOKEN="$(python3 -c 'import secrets; print(secrets.token_hex(24))')"
	export MFE_JUPYTER_TOKEN
	auth=(-H "Authorization: token $MFE_JUPYTER_TOKEN")
	log="$ws/server.log"
	JUPYTER_RUNTIME_DIR="$ws/runtime" JUPYTER_CONFIG_DIR="$ws/config" JUPYTER_TOKEN="$MFE_JUPYTER_TOKEN" MFE_PROFILE=quick \
		jupyter-notebook --no-browser --allow-root --ip=127.0.0.1 --port="$port" --port-retries=0 \
		--notebook-dir="$ws" >"$log" 2>&1 &
	server=$!
	url="http://127.0.0.1:$port"
fi
stop_server() {
	# Shut the kernels down through the API, then the server if it was started here.
	shutdown_kernels "$url"
	if [ -n "$server" ]; then
		kill -TERM "$server" 2>/dev/null || true
		wait "$server" 2>/dev/null || true
	fi
}
trap stop_server EXIT
for _ in $(seq 1 60); do
	curl -sf "${auth[@]}" "$url/api/status" >/dev/null 2>&1 && break
	if [ -n "$server" ] && ! kill -0 "$server" 2>/dev/null; then
		echo "--- notebook server log ---"
		tail -n 30 "$log"
		echo "browser: 0 passed, 1 failed (the notebook server did not start)"
		exit 1
	fi
	sleep 1
done

echo "=== browser test: Jupyter notebook server on $url, chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), screenshots in $shots ==="
start=$(date +%s)
status=0
MFE_JUPYTER_URL="$url" MFE_SCREENSHOTS="$shots" \
	node --test --test-reporter=spec --test-concurrency=1 setup/browsertest/notebooks.test.mjs 2>&1 | tee "$ws/test.log" || status=1
secs=$(($(date +%s) - start))
passed="$(grep -cE '^✔ ' "$ws/test.log" || true)"
# The spec reporter repeats failing tests under "failing tests:"; count each once.
failed="$(awk '/^✖ failing tests:/ {exit} /^✖ / {n++} END {print n+0}' "$ws/test.log")"
if [ $status -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ $status -ne 0 ] && [ -n "$server" ]; then
	echo "--- notebook server log (last 30 lines) ---"
	tail -n 30 "$log"
fi
echo "browser test: ${secs}s; screenshots in $shots"
echo "browser: $passed passed, $failed failed"
exit $status
