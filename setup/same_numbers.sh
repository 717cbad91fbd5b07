#!/usr/bin/env bash
# Shows that a change left the numbers alone:
#
#   bash setup/same_numbers.sh BASE            # BASE: a commit, e.g. HEAD~3
#
# 1. builds `mfe` at BASE (in a temporary git worktree) and from the working
#    tree;
# 2. runs, with both, `mfe analytic` at the reference parameters and at
#    another set, and `mfe train -profile quick -seed 1` for every method and
#    regime that `mfe methods` of the working tree lists, on the Go backend;
# 3. compares them: the exact solutions byte for byte; for each run the
#    metrics, history, configuration and control.json value for value (wall
#    times and the time to 1 % accuracy excepted);
# 4. reloads every saved run under notebooks/results/ (a copy of it; every
#    seed-N of a multi-seed directory, the other models' runs too, each
#    with its parameters and model; the ablations' runs, and a user's
#    model's, unknown to the command line, are left out) with the working tree's
#    `mfe train` and checks that its metrics are the saved ones.
# Exit status 0 when everything is the same. MFE_SAME_SKIP_RELOAD=1 skips 4.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MFE_ROOT"
base="${1:?usage: bash setup/same_numbers.sh BASE-COMMIT}"
work="$(mktemp -d /tmp/mfe-same.XXXXXX)"
trap 'git worktree remove --force "$work/base-tree" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

# mfe_main DIR: the package path of the mfe command in a checkout (it moved
# from cmd/mfe to mfe/cmd/mfe).
mfe_main() { if [ -d "$1/mfe/cmd/mfe" ]; then echo ./mfe/cmd/mfe; else echo ./cmd/mfe; fi; }

git worktree add --detach "$work/base-tree" "$base" >/dev/null
(cd "$work/base-tree" && go build -o "$work/mfe-base" "$(mfe_main .)")
go build -o "$work/mfe-new" "$(mfe_main .)"
echo "built mfe at $(git rev-parse --short "$base") and from the working tree"

# Method and regime pairs, from the registry: "name regime..." then a title.
pairs=$("$work/mfe-new" methods | awk '{for (i = 2; i <= NF && ($i == "mfg" || $i == "mfc"); i++) print $1 ":" $i}')
status=0
for side in base new; do
	bin="$work/mfe-$side" out="$work/$side"
	mkdir -p "$out"
	"$bin" analytic >"$out/analytic-reference.json"
	"$bin" analytic -T 2 -sigma 0.3 -gamma 1 -cx 0.5 -nt 20 >"$out/analytic-other.json"
	for pr in $pairs; do
		m=${pr%:*} r=${pr#*:}
		"$bin" train -method "$m" -regime "$r" -profile quick -seed 1 -backend go -quiet \
			-out "$out/$m-$r" >"$out/$m-$r.log" 2>&1 || { echo "$side: $m $r failed:"; tail -3 "$out/$m-$r.log"; status=1; }
	done
	echo "$side: analytic and $(wc -w <<<"$pairs") quick runs done"
done

python3 - "$work/base" "$work/new" $pairs <<'EOF' || status=1
import json, sys
a, b, pairs = sys.argv[1], sys.argv[2], sys.argv[3:]
bad = []
for f in ("analytic-reference.json", "analytic-other.json"):
    if open(f"{a}/{f}", "rb").read() != open(f"{b}/{f}", "rb").read():
        bad.append(f)
def load(d, f):
    with open(f"{d}/{f}") as fh:
        return json.load(fh)
for p in pairs:
    run = p.replace(":", "-")
    try:
        ra, rb = load(f"{a}/{run}", "result.json"), load(f"{b}/{run}", "result.json")
    except OSError as e:
        bad.append(f"{run}: {e}")
        continue
    for r in (ra, rb):
        r["metrics"].pop("time_to_1pct_s", None)
    for k in ("method", "regime", "params", "profile", "seed", "config", "metrics", "history"):
        if ra.get(k) != rb.get(k):
            bad.append(f"{run}: {k}")
    if load(f"{a}/{run}", "control.json") != load(f"{b}/{run}", "control.json"):
        bad.append(f"{run}: control.json")
    print(f"  {run}: control_mse {rb['metrics']['control_mse']:.6g}, control_rel {rb['metrics']['control_rel']:.6g}")
print("same numbers: " + ("yes" if not bad else "NO, they differ in " + ", ".join(bad)))
sys.exit(1 if bad else 0)
EOF

if [ "${MFE_SAME_SKIP_RELOAD:-0}" != 1 ]; then
	# Every run directory but the ablations' (trained with settings the command line does not take).
	for dir in $(find notebooks/results -name result.json -not -path '*/checkpoint/*' -not -path 'notebooks/results/ablations/*' | xargs -n1 dirname | sort); do
		name=${dir#notebooks/results/} name=${name//\//-}
		# The run's flags: method, regime, profile, seed, its parameters and its model; a user's
		# model (registered by a program, unknown to the command line) is skipped.
		if ! flags=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
p, m = d["params"], d.get("model") or {}
if m.get("name") not in (None, "", "lq", "capped"):
    sys.exit(3)
f = ["-method", d["method"], "-regime", d["regime"], "-profile", d["profile"], "-seed", str(d["seed"])]
for k in ("T", "sigma", "gamma", "ca", "cx", "cg", "x0-mean", "x0-std"):
    f += ["-" + k, repr(p[k])]
if m.get("name") == "capped":
    f += ["-model", "capped", "-amax", repr(m["amax"])]
print(" ".join(f))' "$dir/result.json"); then
			echo "reload $name: skipped (a user's model)"
			continue
		fi
		cp -r "$dir" "$work/reload-$name"
		# shellcheck disable=SC2086 # the flags are words without spaces
		if ! "$work/mfe-new" train $flags -quiet \
			-out "$work/reload-$name" >"$work/reload-$name.log" 2>&1; then
			echo "reload $name: failed"; tail -3 "$work/reload-$name.log"; status=1
			continue
		fi
		if python3 - "$dir/result.json" "$work/reload-$name/result.json" <<'EOF'; then
import json, sys
a, b = (json.load(open(f))["metrics"] for f in sys.argv[1:])
sys.exit(0 if a == b else 1)
EOF
			echo "reload $name: same metrics"
		else
			echo "reload $name: METRICS DIFFER"; status=1
		fi
	done
fi
exit $status
