#!/usr/bin/env bash
# Builds Memoir.pdf from mfe/memoir/ and from mfe runs, in one command run
# from anywhere in the repository:
#
#     bash mfe/memoir/build.sh
#
# 1. installs the Debian TeX packages it needs when they are missing;
# 2. builds mfe into mfe/memoir/build/;
# 3. for every run the memoir reports (mfe/memoir/data/runs/METHOD-REGIME:
#    each method that `mfe methods` lists, in each of its regimes): keeps the one in
#    mfe/memoir/data if it has the wanted profile and the run it was imported
#    from has not been trained again since (same seed, configuration,
#    metrics and wall time), else imports the
#    notebooks' run notebooks/results/METHOD-REGIME-PROFILE[/seed-N] (what
#    `bash setup/run.sh` leaves) or out/METHOD-REGIME-PROFILE (what
#    `mfe train` writes by default), else trains the latter first (niced, one
#    at a time);
# 4. `mfe figures` (package mfe/memoir) turns mfe/memoir/data into figures and
#    LaTeX fragments (mfe/memoir/build/gen);
# 5. latexmk builds mfe/memoir/main.tex, copied to Memoir.pdf at the root;
# 6. mfe/memoir/SOURCES.sha256 records the hashes of what the PDF shows: the
#    LaTeX sources and the run data (every file under mfe/memoir but build/,
#    code, scripts and dotfiles), the generated figures and fragments, and
#    Memoir.pdf itself. `go test ./mfe/memoir/` generates the figures and
#    fragments again and fails when any hash no longer matches.
#
# Environment:
#   MFE_MEMOIR_PROFILE   quick | default | memoir   (default: default)
#   MFE_MEMOIR_RETRAIN=1 train again even when a run of the profile exists
#   MFE_MEMOIR_BACKENDS  extra GoMLX backends to time, e.g. "xla:cpu"
#                        (runs/METHOD-REGIME@BACKEND, GoMLX methods only)
#   MFE_MEMOIR_SEED      seed of every run (default 1)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.27.3} GOEXPERIMENT=${GOEXPERIMENT:-simd}
profile=${MFE_MEMOIR_PROFILE:-default}
seed=${MFE_MEMOIR_SEED:-1}
retrain=${MFE_MEMOIR_RETRAIN:-0}
case $profile in quick | default | memoir) ;; *)
	echo "memoir: profile $profile (MFE_MEMOIR_PROFILE): want quick, default or memoir" >&2
	exit 2
	;;
esac
start=$(date +%s)
say() { echo "memoir: $*" >&2; }

# 1. TeX.
tex_packages="texlive-latex-base texlive-latex-recommended texlive-fonts-recommended texlive-science latexmk"
if ! command -v latexmk >/dev/null || ! command -v pdflatex >/dev/null ||
	! kpsewhich algpseudocode.sty booktabs.sty >/dev/null 2>&1; then
	say "installing TeX: $tex_packages"
	sudo=""
	if [ "$(id -u)" != 0 ]; then sudo=sudo; fi
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $tex_packages >/dev/null
fi

# 2. mfe.
mkdir -p mfe/memoir/build
go build -o mfe/memoir/build/mfe ./mfe/cmd/mfe
mfe=mfe/memoir/build/mfe
available=$($mfe methods | awk '{print $1}')
has_method() { grep -qx -- "$1" <<<"$available"; }
# has_profile DIR PROFILE: DIR holds a run of PROFILE.
has_profile() {
	[ -f "$1/result.json" ] && grep -q "\"profile\": \"$2\"" "$1/result.json"
}

# same_run SRC DEST: DEST was imported from the run SRC holds now (the same
# seed, configuration, metrics and wall time), or SRC holds no run.
same_run() {
	[ -f "$1/result.json" ] || return 0
	python3 - "$1/result.json" "$2/result.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
sys.exit(0 if all(a.get(k) == b.get(k) for k in ("seed", "config", "metrics", "wall_time_s")) else 1)
EOF
}

# run_or_reuse DEST SRC PROFILE CMD...: mfe/memoir/data/DEST from SRC,
# trained by CMD when SRC has no run of PROFILE. DEST is kept when it has
# the profile and SRC holds no other run: a run trained again in SRC (say,
# by setup/run.sh) is imported again.
run_or_reuse() {
	local dest=mfe/memoir/data/$1 src=$2 prof=$3
	shift 3
	if [ "$retrain" != 1 ] && has_profile "$dest" "$prof"; then
		if same_run "$src" "$dest"; then
			say "$dest: kept ($prof)"
			return
		fi
		say "$dest: $src holds another run; importing it"
	fi
	# A run to import must be one of this code: the command reloads a finished
	# run of the same configuration (seconds) and refuses one saved by code
	# whose configuration differs, which is then trained again.
	if [ "$retrain" != 1 ] && has_profile "$src" "$prof" &&
		! nice -n 10 "$@" -out "$src" -quiet >/dev/null 2>&1; then
		say "$src: not a run of this code's configuration; training it again"
		retrain_src=1
	else
		retrain_src=0
	fi
	if [ "$retrain" = 1 ] || [ "$retrain_src" = 1 ] || ! has_profile "$src" "$prof"; then
		rm -rf "$src" # no stale run, nor a checkpoint that mfe train would resume
		say "training: $*"
		local t0=$SECONDS
		if ! nice -n 10 "$@" -out "$src" -quiet; then
			if has_profile "$src" "$prof"; then
				say "warning: '$*' exited non-zero; it wrote $src/result.json, which the memoir uses"
			else
				say "warning: '$*' failed; $dest is left out"
				rm -rf "$dest"
				return
			fi
		fi
		say "trained in $((SECONDS - t0)) s"
	fi
	$mfe figures import "$src" "$dest"
	say "$dest: imported from $src"
}

# 3. Runs: every method that mfe registers, in each of its regimes (the
# lower-case words after its name in `mfe methods`; its title follows).
runs=$($mfe methods | awk '{ for (i = 2; i <= NF && $i ~ /^[a-z]+$/; i++) print $1 ":" $i }')
for item in $runs; do
	method=${item%:*} regime=${item#*:}
	key=$method-$regime
	src=out/$key-$profile
	# The notebooks' run of the same profile and seed, unless retraining:
	# seed-N of a multi-seed directory, or the directory itself (one run).
	nb=notebooks/results/$key-$profile
	if [ -d "$nb/seed-$seed" ]; then nb=$nb/seed-$seed; fi
	if [ "$retrain" != 1 ] && has_profile "$nb" "$profile" &&
		grep -q "\"seed\": $seed," "$nb/result.json"; then
		src=$nb
	fi
	run_or_reuse "runs/$key" "$src" "$profile" \
		$mfe train -method "$method" -regime "$regime" -profile "$profile" -seed "$seed"
	# The spread over the notebooks' seeds of this run, when it is one of them.
	sum=notebooks/results/$key-$profile/summary.json
	rm -f "mfe/memoir/data/runs/$key/summary.json"
	if [ "$src" = "$nb" ] && [ -f "$sum" ] && [ -d "mfe/memoir/data/runs/$key" ]; then
		cp "$sum" "mfe/memoir/data/runs/$key/summary.json"
	fi
	for be in ${MFE_MEMOIR_BACKENDS:-}; do
		case $method in q-learning) continue ;; esac # plain Go, no GoMLX backend
		run_or_reuse "runs/$key@${be//:/-}" "out/$key-$profile@${be//:/-}" "$profile" \
			$mfe train -method "$method" -regime "$regime" -profile "$profile" -seed "$seed" -backend "$be"
	done
done

for old in mfe/memoir/data/runs/*/; do # drop runs of methods or regimes mfe no longer has
	[ -d "$old" ] || continue
	name=$(basename "$old") base=${name%%@*}
	grep -qx -- "${base%-*}:${base##*-}" <<<"$runs" || { say "$old: no such method and regime in mfe; removed"; rm -rf "$old"; }
done

# Ablations: the notebooks' ablation rows (notebook.Ablate), each the method
# of a reported run with one choice undone, trained with several seeds into
# notebooks/results/ablations/KEY-PROFILE/VARIANT/seed-N. The build trains
# none: it summarizes the seeds of those of the reported runs' profile
# (mfe figures import) into mfe/memoir/data/ablations/KEY--VARIANT.
rm -rf mfe/memoir/data/ablations
for item in $runs; do
	key=${item%:*}-${item#*:}
	for src in notebooks/results/ablations/$key-$profile/*/; do
		[ -d "$src" ] || continue
		variant=$(basename "$src")
		$mfe figures import "${src%/}" "mfe/memoir/data/ablations/$key--$variant"
	done
done
say "ablations: $(find mfe/memoir/data/ablations -name summary.json 2>/dev/null | wc -l) rows imported from notebooks/results/ablations"

# Models without a closed form: each learning method's seeds on them,
# notebooks/results/KEY-PROFILE-SUFFIX (notebook 07), summarized into
# mfe/memoir/data/models/KEY-PROFILE-SUFFIX.
rm -rf mfe/memoir/data/models
for item in $runs; do
	key=${item%:*}-${item#*:}
	for src in notebooks/results/$key-$profile-*/; do
		[ -f "$src/seed-1/result.json" ] || continue # the import summarizes the seeds itself
		$mfe figures import "${src%/}" "mfe/memoir/data/models/$(basename "$src")"
	done
done
say "models: $(find mfe/memoir/data/models -name summary.json 2>/dev/null | wc -l) runs over seeds imported"

# 4. Figures and tables, with the defaults of mfe figures (-runs
# mfe/memoir/data -out mfe/memoir/build/gen), as go test ./mfe/memoir/ does.
rm -rf mfe/memoir/build/gen
$mfe figures

# 5. LaTeX.
(
	cd mfe/memoir
	export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1767225600} FORCE_SOURCE_DATE=1 # 2026-01-01: a constant, so that equal sources give an equal PDF
	latexmk -pdf -interaction=nonstopmode -halt-on-error -outdir=build main.tex >build/latexmk.log 2>&1 ||
		{ tail -40 build/latexmk.log >&2; exit 1; }
	grep -E "^LaTeX Warning: (Reference|Citation).*undefined" build/main.log >&2 || true
)
cp mfe/memoir/build/main.pdf Memoir.pdf

# 6. Hashes: the rule for which files count is repeated in mfe/memoir/memoir_test.go.
{
	find mfe/memoir -path mfe/memoir/build -prune -o -type f -not -name '.*' -not -name '*.go' \
		-not -name '*.sh' -not -path mfe/memoir/SOURCES.sha256 -print
	find mfe/memoir/build/gen -type f
	echo Memoir.pdf
} | LC_ALL=C sort | xargs sha256sum >mfe/memoir/build/SOURCES.sha256.new
mv mfe/memoir/build/SOURCES.sha256.new mfe/memoir/SOURCES.sha256
say "wrote Memoir.pdf ($(du -h Memoir.pdf | cut -f1), $(grep -c . mfe/memoir/SOURCES.sha256) hashed files) in $(($(date +%s) - start)) s"
