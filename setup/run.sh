#!/usr/bin/env bash
# The main job: reproduces the notebooks' results. Installs what is missing, then
# executes every notebooks/*.ipynb headless with the GoNB kernel and the default
# profile (MFE_PROFILE unset or "default"; set MFE_PROFILE=memoir for the memoir's
# sizes), writing the executed notebooks back into notebooks/ (only when they
# succeed) and every PNG output to notebooks/figures/<notebook-name>/NN.png.
# Each notebook reloads its saved run, notebooks/results/METHOD-REGIME-PROFILE/seed-1 (verified
# against its checkpoint's manifest and its weights), and trains the runs that are missing.
# MFE_RETRAIN=1 first trains every method in each regime again from scratch over the seeds
# 1..MFE_SEEDS (default 3) into notebooks/results/METHOD-REGIME-PROFILE/seed-N, with their
# summary.json (mean ± sd over the seeds), then executes the notebooks on those runs.
# Backend: Go by default; XLA when a PJRT plugin is installed; GOMLX_BACKEND forces one.
# Usage: bash setup/run.sh [NOTEBOOK...]
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MFE_ROOT"

t0=$(date +%s)
bash setup/install.sh
echo "install: $(($(date +%s) - t0))s"
export MFE_PROFILE="${MFE_PROFILE:-default}"
retrain="${MFE_RETRAIN:-0}"
export MFE_RETRAIN=0
if [ "$retrain" = 1 ]; then
	t1=$(date +%s)
	go build -o bin/mfe ./mfe/cmd/mfe
	seeds=$(seq -s, 1 "${MFE_SEEDS:-3}")
	# Every method in each of its regimes: the lower-case words after its name.
	for item in $(bin/mfe methods | awk '{ for (i = 2; i <= NF && $i ~ /^[a-z]+$/; i++) print $1 ":" $i }'); do
		method=${item%:*} regime=${item#*:}
		out=notebooks/results/$method-$regime-$MFE_PROFILE
		rm -rf "$out"
		bin/mfe train -method "$method" -regime "$regime" -profile "$MFE_PROFILE" -seeds "$seeds" -quiet -out "$out"
	done
	echo "training: $(($(date +%s) - t1))s (profile $MFE_PROFILE, seeds $seeds)"
fi
t1=$(date +%s)
status=0
MFE_CELL_TIMEOUT="${MFE_CELL_TIMEOUT:-7200}" bash setup/notebooks.sh --in-place --figures notebooks/figures "$@" || status=1
echo "notebook execution: $(($(date +%s) - t1))s (profile $MFE_PROFILE)"
exit $status
