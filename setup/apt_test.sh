#!/usr/bin/env bash
# Tests apt_get (setup/apt.sh) with a fake apt-get on PATH: it waits while another
# install holds the package manager's lock, passing DPkg::Lock::Timeout, fails at once
# on any other error, and gives up after $MFE_APT_LOCK_TIMEOUT seconds.
# Usage: bash setup/apt_test.sh (setup/test.sh runs it); prints "apt_test: ok".
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
# The fake apt-get answers "Could not get lock" while $dir/locked holds a positive
# count (decremented at each call), then $dir/result's exit status; it logs its arguments.
cat >"$dir/apt-get" <<'FAKE'
#!/usr/bin/env bash
echo "$*" >>"$FAKE_DIR/calls"
n="$(cat "$FAKE_DIR/locked")"
if [ "$n" -gt 0 ]; then
	echo $((n - 1)) >"$FAKE_DIR/locked"
	echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 1 (apt-get)"
	exit 100
fi
status="$(cat "$FAKE_DIR/result")"
[ "$status" -eq 0 ] || echo "E: Unable to locate package nosuchpackage"
exit "$status"
FAKE
chmod +x "$dir/apt-get"
export FAKE_DIR="$dir" PATH="$dir:$PATH" MFE_APT_RETRY=0
SUDO=()

fail() {
	echo "apt_test: FAILED: $*" >&2
	exit 1
}
setup() { # setup LOCKED_CALLS RESULT
	echo "$1" >"$dir/locked"
	echo "$2" >"$dir/result"
	: >"$dir/calls"
}
calls() { wc -l <"$dir/calls" | tr -d ' '; }

setup 2 0
apt_get update -qq 2>"$dir/err" || fail "apt_get failed while the lock was held twice, then free: $(cat "$dir/err")"
[ "$(calls)" = 3 ] || fail "apt-get called $(calls) times, want 3 (two while locked, one after)"
grep -q -- "-o DPkg::Lock::Timeout=600 update -qq" "$dir/calls" || fail "apt-get's arguments: $(head -n 1 "$dir/calls")"
[ "$(grep -c "waiting" "$dir/err")" = 1 ] || fail "the wait is not said once on stderr: $(cat "$dir/err")"

setup 0 100
if apt_get install -y nosuchpackage 2>"$dir/err"; then fail "apt_get succeeded where apt-get failed"; fi
[ "$(calls)" = 1 ] || fail "apt-get called $(calls) times on an error that is not a lock, want 1"
grep -q "Unable to locate package" "$dir/err" || fail "apt-get's error not shown: $(cat "$dir/err")"

setup 1000 0
status=0
MFE_APT_LOCK_TIMEOUT=0 apt_get update 2>"$dir/err" || status=$?
[ $status -eq 100 ] || fail "exit status $status after the timeout, want apt-get's 100"
grep -q "Could not get lock" "$dir/err" || fail "the lock's error not shown after the timeout"
grep -q -- "-o DPkg::Lock::Timeout=0 " "$dir/calls" || fail "the timeout not passed to apt-get: $(head -n 1 "$dir/calls")"

echo "apt_test: ok"
