#!/usr/bin/env bash
# Points a GoNB kernel's temporary Go module at this repository. A notebook in
# notebooks/ runs it from its first cell:
#
#   !*bash "$GONB_DIR/../setup/gonb_module.sh"
#
# `!*` runs in GoNB's temporary module directory ($GONB_TMP_DIR); $GONB_DIR is the
# kernel's start directory, i.e. the notebook's directory (Jupyter and nbconvert
# start kernels there), so this works from any clone path.
#
# The temporary go.mod gets the repository's requirements (same pinned versions,
# and its go.sum), plus `require github.com/mf-optimal-execution/mf-optimal-execution` replaced by
# the repository directory. Every import then resolves from pinned versions, and
# the `go get` GoNB runs before each cell has nothing to look up (the module proxy
# refuses version listings).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MOD=github.com/mf-optimal-execution/mf-optimal-execution
dir="${GONB_TMP_DIR:-$PWD}"
cd "$dir"
if [ ! -f go.mod ]; then
	echo "gonb_module.sh: no go.mod in $dir (run it with !* from a GoNB cell)" >&2
	exit 1
fi
name="$(awk '$1=="module" {print $2; exit}' go.mod)"
# Copy the repository's go.mod under the kernel's module name; drop its tool
# directives (not needed to build notebooks), keep requires, replaces, exclusions.
awk -v name="$name" '
	/^module[ \t]/ { print "module " name; next }
	/^tool[ \t]*\($/ { skip = 1; next }
	skip && /^\)/ { skip = 0; next }
	skip || /^tool[ \t]/ { next }
	{ print }
' "$REPO/go.mod" >go.mod.new
mv go.mod.new go.mod
cp "$REPO/go.sum" go.sum
go mod edit -require="$MOD@v0.0.0-00010101000000-000000000000" -replace="$MOD=$REPO"
echo "mfe: $MOD from this repository (profile ${MFE_PROFILE:-default})"
