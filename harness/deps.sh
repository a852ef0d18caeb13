#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the harness needs. Idempotent and quiet
# when everything is present; uses sudo only when not root.

. "$(dirname "$0")/lib.sh"

pkgs=(build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils kmod
      git python3 python3-git python3-ply perl ccache sparse rsync gcc-aarch64-linux-gnu
      libc6-dev-arm64-cross qemu-system-x86 qemu-system-arm ovmf gnuplot-nox
      curl bzip2 ninja-build pkg-config python3-venv libglib2.0-dev libpixman-1-dev
      libfdt-dev zlib1g-dev)
# The last two lines build harness/qemu.sh's qemu-system-aarch64.
# Guest user space is Debian's busybox-static, one per guest arch.
foreign=(arm64)

sudo=
[ "$(id -u)" = 0 ] || sudo=sudo

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing+=("$p")
done
update=
for a in "${foreign[@]}"; do
	if ! dpkg --print-foreign-architectures | grep -qx "$a"; then
		$sudo dpkg --add-architecture "$a"
		update=1
	fi
done
[ ${#missing[@]} = 0 ] && [ -z "$update" ] && exit 0

info "deps: installing ${missing[*]:-(package lists for ${foreign[*]})}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
$sudo apt-get update -q >"$log" 2>&1 || { cat "$log" >&2; die "apt-get update failed"; }
if [ ${#missing[@]} != 0 ]; then
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
		--no-install-recommends "${missing[@]}" >"$log" 2>&1 ||
		{ tail -n 20 "$log" >&2; die "apt-get install ${missing[*]} failed"; }
fi
