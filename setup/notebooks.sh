#!/usr/bin/env bash
# Executes notebooks headless with the GoNB kernel (used by test.sh and run.sh).
#
#   bash setup/notebooks.sh --out DIR [NOTEBOOK...]      executed copies go to DIR
#   bash setup/notebooks.sh --in-place [--figures DIR] [NOTEBOOK...]
#        executed notebooks replace the originals (only on success), and every PNG
#        output is extracted to DIR/<notebook-name>/NN.png (default DIR: notebooks/figures)
#
# Without NOTEBOOK arguments, runs every notebooks/*.ipynb in name order. A notebook
# fails if a cell fails or if it shows no image/png. Per-cell timeout: $MFE_CELL_TIMEOUT
# seconds (default 3600). The environment (e.g. MFE_PROFILE) is passed to the kernel.
# Prints one line per notebook and ends with "notebooks: N passed, M failed".
# Exit status 1 if any failed. Expects setup/install.sh to have run.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MFE_ROOT"

out="" inplace=0 figures="notebooks/figures"
nbs=()
while [ $# -gt 0 ]; do
	case "$1" in
	--out) out="$2"; shift 2 ;;
	--in-place) inplace=1; shift ;;
	--figures) figures="$2"; shift 2 ;;
	-*) echo "notebooks.sh: unknown flag $1" >&2; exit 2 ;;
	*) nbs+=("$1"); shift ;;
	esac
done
if [ $inplace -eq 0 ] && [ -z "$out" ]; then
	echo "notebooks.sh: give --out DIR or --in-place" >&2
	exit 2
fi
if [ ${#nbs[@]} -eq 0 ]; then
	shopt -s nullglob
	nbs=(notebooks/*.ipynb)
	shopt -u nullglob
fi
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
timeout="${MFE_CELL_TIMEOUT:-3600}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
[ -n "$out" ] && mkdir -p "$out"

passed=0 failed=0 failures=()
for nb in "${nbs[@]}"; do
	name="$(basename "$nb" .ipynb)"
	dest="${out:-$work}"
	start=$(date +%s)
	echo "=== notebook $nb (profile ${MFE_PROFILE:-default}) ==="
	ok=1
	rc=0
	"$PY" setup/nbtool.py run "$nb" "$dest/$name.ipynb" "$timeout" 2>"$work/$name.log" || rc=$?
	if [ $rc -ne 0 ]; then
		if [ $rc -ne 3 ]; then # the runner itself failed: show its (and the kernel's) log
			echo "--- runner log (last 30 lines) ---"
			tail -n 30 "$work/$name.log"
		fi
		ok=0
	elif ! "$PY" setup/nbtool.py check "$dest/$name.ipynb"; then
		ok=0
	fi
	secs=$(($(date +%s) - start))
	if [ $ok -eq 1 ]; then
		if [ $inplace -eq 1 ]; then
			cp "$dest/$name.ipynb" "$nb"
			"$PY" setup/nbtool.py extract "$nb" "$figures/$name"
		fi
		echo "PASS $nb (${secs}s)"
		passed=$((passed + 1))
	else
		echo "FAIL $nb (${secs}s)"
		failed=$((failed + 1))
		failures+=("$nb")
	fi
done
[ $failed -gt 0 ] && echo "failed notebooks: ${failures[*]}"
echo "notebooks: $passed passed, $failed failed"
[ $failed -eq 0 ]
