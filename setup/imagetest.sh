#!/usr/bin/env bash
# The reviewers' Docker image, built and served without Docker: a fresh Debian
# bookworm root filesystem (debootstrap) with what the base image
# golang:1.26-bookworm holds (Go in /usr/local/go, GOPATH /go, a C compiler),
# the repository's files (git ls-files: no build outputs), then the Dockerfile's
# own steps, read from it by setup/dockerlint -steps (ARG, ENV, WORKDIR, RUN,
# USER, CMD), run in that root with chroot. The image's Jupyter (its CMD, as its
# USER, with a token) is then started there on loopback and the browser test
# (setup/browsertest) executes 00_exact_solution.ipynb and the training panel of
# 01_direct_mfc.ipynb against it.
#
#   bash setup/imagetest.sh                       (as root; about 15 minutes, 1 more the first time)
#   MFE_IMAGETEST_REF=HEAD bash setup/imagetest.sh  (the files of a commit, not the working tree)
#
# Where the PJRT plugin cannot be downloaded (no route to its host), the
# Dockerfile's build step fails with its message; the test says so and builds
# again with PJRT_PLUGIN=none, the Go-backend image. The debootstrap result is
# cached in $MFE_IMAGETEST_CACHE (default /var/cache/mfe-imagetest), so a rerun
# starts from the same fresh root in seconds; the root filesystem of the run is
# made anew each time and removed at the end (MFE_IMAGETEST_KEEP=1 keeps it).
# The emulation's own additions, which a Docker build does not need, are the
# host's extra CA certificates and its GOPROXY, GOSUMDB and GOFLAGS (this
# machine reaches the registries through a TLS proxy).
#
# Not part of setup/test.sh (too slow for CI). Ends with one line per stage
# and "imagetest: PASS" or "imagetest: FAIL (stage)"; exit status 0 or 1.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MFE_ROOT"

if [ "$(id -u)" -ne 0 ]; then
	echo "imagetest: needs root (debootstrap, chroot, mounts)" >&2
	exit 1
fi

cache="${MFE_IMAGETEST_CACHE:-/var/cache/mfe-imagetest}"
mirror="${MFE_IMAGETEST_MIRROR:-http://deb.debian.org/debian}"
mkdir -p "$cache"
summary=()
t0=$(date +%s)
stage_start=$t0
stage() { # stage NAME RESULT: one summary line with the stage's duration
	local now
	now=$(date +%s)
	summary+=("$(printf '%-32s %-6s %4ds' "$1" "$2" $((now - stage_start)))")
	echo "=== imagetest: $1: $2 ($((now - stage_start)) s) ==="
	stage_start=$now
}
finish() {
	echo "--- imagetest summary (total $(($(date +%s) - t0)) s) ---"
	printf '%s\n' "${summary[@]}"
	echo "imagetest: $1"
	[ "$1" = PASS ]
}

# --- 1. Debian bookworm, debootstrapped once -------------------------------------
# The packages of the base image's layers (buildpack-deps:bookworm-scm, and the
# C toolchain golang:1.26-bookworm adds) on top of Debian's minimal base.
BASE_PACKAGES=ca-certificates,curl,wget,gnupg,git,openssh-client,procps,netbase,gcc,g++,libc6-dev,make,pkg-config
base_tar="$cache/bookworm-base.tar"
if [ ! -f "$base_tar" ]; then
	command -v debootstrap >/dev/null 2>&1 || {
		DEBIAN_FRONTEND=noninteractive apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
	}
	rm -rf "$cache/debootstrap"
	echo "imagetest: debootstrap bookworm from $mirror (once; cached in $base_tar)"
	if ! nice -n 10 debootstrap --variant=minbase --include="$BASE_PACKAGES" bookworm "$cache/debootstrap" "$mirror" >"$cache/debootstrap.log" 2>&1; then
		tail -n 20 "$cache/debootstrap.log"
		stage "debootstrap" FAIL
		finish "FAIL (debootstrap)"
		exit 1
	fi
	tar -C "$cache/debootstrap" -cf "$base_tar.tmp" .
	mv "$base_tar.tmp" "$base_tar"
	rm -rf "$cache/debootstrap"
	stage "debootstrap (cached now)" ok
fi
if [ "${MFE_IMAGETEST_STAGE:-}" = base ]; then
	finish PASS
	exit 0
fi

# --- 2. The root filesystem of a build ---------------------------------------------
root="$cache/root"
work="$(mktemp -d /tmp/mfe-imagetest.XXXXXX)"
servers=()
mounted=0
umount_root() {
	[ $mounted -eq 1 ] || return 0
	for m in dev/shm dev/pts dev sys proc; do
		umount -l "$root/$m" 2>/dev/null || true
	done
	mounted=0
}
mount_root() {
	mount -t proc proc "$root/proc"
	mount -t sysfs sys "$root/sys"
	mount --bind /dev "$root/dev"
	mount -t devpts devpts "$root/dev/pts" -o newinstance,ptmxmode=0666
	mount -t tmpfs shm "$root/dev/shm"
	mounted=1
}
cleanup() {
	for pid in "${servers[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	umount_root
	if [ "${MFE_IMAGETEST_KEEP:-0}" != 1 ]; then
		rm -rf "$root"
	fi
	rm -rf "$work"
}
trap cleanup EXIT

# The base image golang:1.26-bookworm, as its Dockerfile makes it: Debian with
# Go in /usr/local/go (here the host's installation), GOPATH /go (mode 1777),
# and its ENV; then what this machine needs to reach the registries.
goroot="$(GOTOOLCHAIN=local go env GOROOT)"
golang_version="$(GOTOOLCHAIN=local go env GOVERSION)"
BASE_ENV=(
	"PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	"GOLANG_VERSION=${golang_version#go}" "GOTOOLCHAIN=local" "GOPATH=/go"
)
EMU_ENV=()
for k in GOPROXY GOSUMDB GOFLAGS; do
	EMU_ENV+=("$k=$(GOTOOLCHAIN=local go env "$k")")
done
fresh_root() {
	umount_root
	rm -rf "$root"
	mkdir -p "$root"
	tar -C "$root" -xf "$base_tar"
	cp -a "$goroot" "$root/usr/local/go"
	mkdir -p "$root/go/src" "$root/go/bin"
	chmod -R 1777 "$root/go"
	cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
	cp /etc/resolv.conf "$root/etc/resolv.conf"
	mount_root
	chroot "$root" update-ca-certificates >/dev/null 2>&1
}

# The build context: the repository's files as git lists them (tracked, and
# new ones not ignored), so no build outputs; with MFE_IMAGETEST_REF, those of
# that commit (git archive), whatever the working tree holds.
if [ -n "${MFE_IMAGETEST_REF:-}" ]; then
	git archive --format=tar -o "$work/context.tar" "$MFE_IMAGETEST_REF"
	echo "imagetest: build context: $MFE_IMAGETEST_REF ($(git rev-parse --short "$MFE_IMAGETEST_REF"), $(tar -tf "$work/context.tar" | grep -vc '/$') files)"
	context="$work/context.tar"
	git show "$MFE_IMAGETEST_REF:Dockerfile" >"$work/Dockerfile"
	dockerfile="$work/Dockerfile"
else
	git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
		[ -e "$f" ] && printf '%s\0' "$f"
	done >"$work/context.list"
	echo "imagetest: build context: the working tree's $(tr -cd '\0' <"$work/context.list" | wc -c) files"
	context="$work/context.list"
	dockerfile="$MFE_ROOT/Dockerfile"
fi

# steps FILE [BUILD-ARG...]: the Dockerfile's steps, as JSON, read by dockerlint.
steps() {
	local out="$1" a=()
	shift
	for e in "${BASE_ENV[@]}"; do a+=(-env "$e"); done
	for b in "$@"; do a+=(-build-arg "$b"); done
	(cd setup/dockerlint && go run . -steps "${a[@]}" "$dockerfile") >"$out"
}

# run_steps FILE LOG: runs the COPY and RUN steps in $root, as Docker would
# (a RUN as its USER, in its WORKDIR, with its environment). Exit status 1 at
# the first that fails.
run_steps() {
	nice -n 10 python3 - "$1" "$root" "$context" "$MFE_ROOT" "${EMU_ENV[@]}" 2>&1 <<'PY' | tee "$2"
import json, os, subprocess, sys
steps_file, root, context, repo = sys.argv[1:5]
emu = sys.argv[5:]
def uid_of(user):
    if user in ("", "root", "0"):
        return None
    out = subprocess.run(["chroot", root, "id", "-u", user.split(":")[0]], capture_output=True, text=True)
    gid = subprocess.run(["chroot", root, "id", "-g", user.split(":")[0]], capture_output=True, text=True)
    return f"{out.stdout.strip()}:{gid.stdout.strip()}"
for s in json.load(open(steps_file)):
    print(f"--- Dockerfile line {s['line']}: {s['op']} {' '.join(s.get('argv') or s.get('src', []))}", flush=True)
    if s["op"] == "COPY":
        if s["src"] != ["."]:
            sys.exit(f"imagetest: COPY {s['src']}: only 'COPY . DEST' is emulated")
        dest = os.path.normpath(os.path.join(root + s["workdir"], s["dest"]))
        os.makedirs(dest, exist_ok=True)
        if context.endswith(".tar"):
            subprocess.run(["tar", "-C", dest, "-xf", context], check=True)
        else:
            tar = subprocess.Popen(["tar", "-C", repo, "--null", "-T", context, "-cf", "-"], stdout=subprocess.PIPE)
            subprocess.run(["tar", "-C", dest, "-xf", "-"], stdin=tar.stdout, check=True)
            if tar.wait() != 0:
                sys.exit("imagetest: COPY: tar of the build context failed")
    elif s["op"] == "RUN":
        user = uid_of(s["user"])
        home = "/root" if user is None else "/home/" + s["user"].split(":")[0]
        env = ["HOME=" + home] + s["env"] + emu
        os.makedirs(root + s["workdir"], exist_ok=True)
        cmd = ["chroot"] + ([f"--userspec={user}"] if user else []) + [root, "/usr/bin/env", "-i"] + env + \
              ["/bin/sh", "-c", 'cd "$0" && exec "$@"', s["workdir"]] + s["argv"]
        if subprocess.run(cmd).returncode != 0:
            print(f"imagetest: the RUN step of Dockerfile line {s['line']} failed", flush=True)
            sys.exit(1)
PY
}

# build LOG [BUILD-ARG...]: the Dockerfile's steps in a fresh root.
build() {
	local log="$1"
	shift
	fresh_root
	steps "$work/steps.json" "$@"
	run_steps "$work/steps.json" "$log"
}

# --- 3. docker build ---------------------------------------------------------------
stage_start=$(date +%s)
plugin_arg=()
if build "$work/build.log"; then
	stage "docker build" ok
else
	if grep -q -- "--build-arg PJRT_PLUGIN=none" "$work/build.log"; then
		stage "docker build (PJRT_PLUGIN=cpu)" "stops"
		echo "imagetest: the PJRT plugin cannot be downloaded here; the build stopped with the message above."
		echo "imagetest: building again as it says, with --build-arg PJRT_PLUGIN=none (the Go-backend image)"
		plugin_arg=(PJRT_PLUGIN=none)
		if build "$work/build.log" "${plugin_arg[@]}"; then
			stage "docker build (PJRT_PLUGIN=none)" ok
		else
			stage "docker build (PJRT_PLUGIN=none)" FAIL
			finish "FAIL (docker build)"
			exit 1
		fi
	else
		stage "docker build" FAIL
		finish "FAIL (docker build)"
		exit 1
	fi
fi
for step in "PJRT plugin" "Jupyter and the GoNB kernel" "mfe command" "smoke test"; do
	line="$(grep -m1 "^image_build: $step" "$work/build.log" || true)"
	summary+=("$(printf '  %-30s %-6s %5s' "$step" "" "$(sed -E 's/.*\(([0-9]+) s\)$/\1s/' <<<"$line")")")
done
echo "--- mfe doctor in the build ---"
sed -n '/^method  /,/^doctor: /p' "$work/build.log" | tee "$work/doctor.txt"

# --- 4. docker run -p 127.0.0.1:PORT:8888 ------------------------------------------
# The image's CMD as its USER with its ENV; the port, which a container has to
# itself, is a free one here, and --ip is the host's loopback (the container's
# 0.0.0.0 is only reachable through the port published on 127.0.0.1).
# MFE_PROFILE=quick is the browser test's: the training panel preselects it.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
steps "$work/steps.json" "${plugin_arg[@]}"
# serve LOG PORT [ENV...]: starts the image's CMD; sets $server_pid.
serve() {
	local log="$1" port="$2"
	shift 2
	python3 - "$work/steps.json" "$port" "$@" >"$work/cmd.args" <<'PY'
import json, sys
steps = json.load(open(sys.argv[1]))
cmd = [s for s in steps if s["op"] == "CMD"][-1]
port, extra = sys.argv[2], sys.argv[3:]
argv = []
for a in cmd["argv"]:
    if a.startswith("--ip="):
        a = "--ip=127.0.0.1"
    elif a.startswith("--port="):
        a = "--port=" + port
    argv.append(a)
user = cmd["user"].split(":")[0]
for x in [user, cmd["workdir"]] + cmd["env"] + extra + ["--"] + argv:
    sys.stdout.write(x + "\0")
PY
	local args=() user workdir
	while IFS= read -r -d '' a; do args+=("$a"); done <"$work/cmd.args"
	user="${args[0]}" workdir="${args[1]}"
	args=("${args[@]:2}")
	local env=() i
	for i in "${!args[@]}"; do
		[ "${args[$i]}" = "--" ] && break
		env+=("${args[$i]}")
	done
	local argv=("${args[@]:$((i + 1))}")
	local uid gid
	uid="$(chroot "$root" id -u "$user")" gid="$(chroot "$root" id -g "$user")"
	chroot --userspec="$uid:$gid" "$root" /usr/bin/env -i "HOME=/home/$user" "${env[@]}" "${EMU_ENV[@]}" \
		/bin/sh -c 'cd "$0" && exec "$@"' "$workdir" "${argv[@]}" >"$log" 2>&1 &
	server_pid=$!
	servers+=("$server_pid")
	for _ in $(seq 1 60); do
		grep -qs "token=" "$log" && curl -s -o /dev/null "http://127.0.0.1:$port/api/status" && return 0
		kill -0 "$server_pid" 2>/dev/null || break
		sleep 1
	done
	echo "imagetest: the server did not start; its log:"
	tail -n 30 "$log"
	return 1
}
http_code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

port="$(free_port)"
ok=1
if serve "$work/jupyter.log" "$port" MFE_PROFILE=quick; then
	token="$(grep -oE 'token=[0-9a-f]+' "$work/jupyter.log" | head -n 1 | cut -d= -f2)"
	grep -E 'token=' "$work/jupyter.log" | head -n 2 | sed -E 's/token=[0-9a-f]{8}[0-9a-f]*/token=<printed>/'
	uid="$(awk '/^Uid:/ {print $2}' "/proc/$server_pid/status")"
	user="$(chroot "$root" id -un "$uid" 2>/dev/null || echo "$uid")"
	listen="$(ss -ltn "sport = :$port" | awk 'NR > 1 {print $4}' | sort -u | tr '\n' ' ')"
	anon="$(http_code "http://127.0.0.1:$port/api/contents")"
	anon_ks="$(http_code "http://127.0.0.1:$port/api/kernelspecs")"
	authd="$(http_code -H "Authorization: token $token" "http://127.0.0.1:$port/api/contents")"
	echo "imagetest: server as $user (uid $uid), listening on $listen; /api/contents without the token: $anon, /api/kernelspecs: $anon_ks, with it: $authd"
	if [ -z "$token" ] || [ "$uid" = 0 ] || [ "$anon" = 200 ] || [ "$anon_ks" = 200 ] || [ "$authd" != 200 ] || [ "$listen" != "127.0.0.1:$port " ]; then
		ok=0
	fi
	if [ $ok -eq 1 ]; then stage "jupyter: token, user $user" ok; else stage "jupyter: token, unprivileged" FAIL; fi
else
	ok=0
	stage "jupyter starts" FAIL
fi

# JUPYTER_TOKEN chooses the token (docker run -e JUPYTER_TOKEN=...).
if [ $ok -eq 1 ]; then
	port2="$(free_port)"
	chosen="imagetest-$(python3 -c 'import secrets; print(secrets.token_hex(8))')"
	if serve "$work/jupyter2.log" "$port2" "JUPYTER_TOKEN=$chosen" &&
		[ "$(http_code "http://127.0.0.1:$port2/api/contents")" != 200 ] &&
		[ "$(http_code -H "Authorization: token $chosen" "http://127.0.0.1:$port2/api/contents")" = 200 ]; then
		stage "jupyter: JUPYTER_TOKEN" ok
	else
		stage "jupyter: JUPYTER_TOKEN" FAIL
		ok=0
	fi
	kill -TERM "$server_pid" 2>/dev/null || true
fi

# --- 5. The browser test against the image's server --------------------------------
if [ $ok -eq 1 ]; then
	if MFE_JUPYTER_URL="http://127.0.0.1:$port" MFE_JUPYTER_TOKEN="$token" MFE_NOTEBOOK_PREFIX="" \
		bash setup/browsertest/run.sh 2>&1 | tee "$work/browser.log" && grep -q '^browser: [0-9]* passed, 0 failed' "$work/browser.log"; then
		stage "browser: $(grep -oE '^browser: .*' "$work/browser.log" | tail -n 1 | cut -d' ' -f2-)" ok
	else
		stage "browser test" FAIL
		echo "--- the image's Jupyter log (last 30 lines) ---"
		tail -n 30 "$work/jupyter.log"
		ok=0
	fi
fi

if [ $ok -eq 1 ]; then
	finish PASS
else
	finish "FAIL"
	exit 1
fi
