#!/usr/bin/env bash
# apt_get: apt-get as root (sudo when not root; SUDO=() or (sudo) set by the caller),
# non-interactive, waiting for the package manager when another install holds it
# instead of failing at once. Sourced by setup/install.sh and setup/install_browser.sh.
#
# DPkg::Lock::Timeout makes apt-get wait for dpkg's locks; apt-get update, which takes
# the package lists' lock that this option does not cover (apt 2.6), is retried every
# $MFE_APT_RETRY seconds (5) while a lock is held. Both wait up to $MFE_APT_LOCK_TIMEOUT
# seconds (600). Prints apt-get's output on failure only; returns its exit status.
# setup/apt_test.sh tests it.

apt_get() {
	local timeout="${MFE_APT_LOCK_TIMEOUT:-600}"
	local deadline=$((SECONDS + timeout)) out status said=""
	while :; do
		status=0
		out="$("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o "DPkg::Lock::Timeout=$timeout" "$@" 2>&1)" || status=$?
		if [ $status -eq 0 ]; then
			return 0
		fi
		if ! grep -q "Could not get lock" <<<"$out" || [ $SECONDS -ge $deadline ]; then
			printf '%s\n' "$out" >&2
			return $status
		fi
		if [ -z "$said" ]; then
			echo "apt-get: another install holds the package manager; waiting (up to ${timeout}s)" >&2
			said=1
		fi
		sleep "${MFE_APT_RETRY:-5}"
	done
}
