#!/usr/bin/env bash
# The main job: reproduces the notebooks' results. Installs what is missing, then
# executes every notebooks/*.ipynb headless with the GoNB kernel and the default
# profile (MFE_PROFILE unset or "default"; set MFE_PROFILE=memoir for the memoir's
# sizes), writing the executed notebooks back into notebooks/ (only when they
# succeed) and every PNG output to notebooks/figures/<notebook-name>/NN.png.
# Every notebook trains again from scratch (MFE_RETRAIN=1), replacing its saved run under
# notebooks/results/METHOD-REGIME-PROFILE/; MFE_RETRAIN=0 reuses the saved runs and only redraws.
# Backend: Go by default; XLA when a PJRT plugin is installed; GOMLX_BACKEND forces one.
# Usage: bash setup/run.sh [NOTEBOOK...]
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MFE_ROOT"

t0=$(date +%s)
bash setup/install.sh
echo "install: $(($(date +%s) - t0))s"
export MFE_PROFILE="${MFE_PROFILE:-default}"
export MFE_RETRAIN="${MFE_RETRAIN:-1}"
t1=$(date +%s)
status=0
MFE_CELL_TIMEOUT="${MFE_CELL_TIMEOUT:-7200}" bash setup/notebooks.sh --in-place --figures notebooks/figures "$@" || status=1
echo "notebook execution: $(($(date +%s) - t1))s (profile $MFE_PROFILE)"
exit $status
