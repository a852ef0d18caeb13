#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build qemu-system-aarch64 with FEAT_S1POE: QEMU's source as qemu/SOURCE
# names it, with qemu/patches/series applied. Built once and cached under
# a key made of qemu/SOURCE and the patches, so a change to either builds
# anew. Prints the binary's path on stdout; progress goes to stderr.
#
#   qemu.sh             build if needed, print the path
#   qemu.sh checkpatch  QEMU's own scripts/checkpatch.pl on each patch
#   qemu.sh systest     build the series' tests/tcg/aarch64 system test
#                       (poe.S) and run it on the built QEMU, with and
#                       without POE

. "$(dirname "$0")/lib.sh"
# shellcheck source=/dev/null
. "$TOP/qemu/SOURCE"

QDIR=$TOP/qemu
key=$(cat "$QDIR/SOURCE" "$QDIR/patches/series" \
	  $(sed "s|^|$QDIR/patches/|" "$QDIR/patches/series") | sha256sum | cut -c1-12)
out=$CACHE/qemu-$QEMU_VERSION-$key
dl=$CACHE/downloads

# fetch PATH SHA256: a file from the Debian mirror, checked, cached.
fetch() {
	local f
	f=$dl/$(basename "$1")
	mkdir -p "$dl"
	if [ ! -f "$f" ] || ! sha256sum -c --status <<<"$2  $f"; then
		info "qemu: downloading $(basename "$1")" >&2
		curl -sSfL --retry 3 -o "$f.tmp" "$DEBIAN_MIRROR/$1" ||
			die "could not download $DEBIAN_MIRROR/$1"
		sha256sum -c --status <<<"$2  $f.tmp" ||
			die "$(basename "$1"): SHA-256 does not match qemu/SOURCE"
		mv "$f.tmp" "$f"
	fi
	echo "$f"
}

# The patched source tree, in $1 (created afresh).
unpack() {
	local src=$1 p f
	rm -rf "$src"
	mkdir -p "$src"
	tar -xJf "$(fetch "$QEMU_ORIG" "$QEMU_ORIG_SHA256")" -C "$src" --strip-components=1
	while read -r p; do
		patch -d "$src" -p1 -s --no-backup-if-mismatch <"$QDIR/patches/$p" ||
			die "qemu/patches/$p does not apply to QEMU $QEMU_VERSION"
	done <"$QDIR/patches/series"
	# Debian's source leaves out the prebuilt EDK2 images; QEMU's build
	# wants them for its aarch64 target. Empty ones will do: the harness
	# boots kernels directly, never through firmware.
	for f in $(sed -n '/fds = \[/,/\]/p' "$src/pc-bios/meson.build" | grep -o "edk2-[a-z0-9_-]*\.fd"); do
		[ -e "$src/pc-bios/$f.bz2" ] || bzip2 </dev/null >"$src/pc-bios/$f.bz2"
	done
}

if [ "${1:-}" = checkpatch ]; then
	src=$(mktemp -d)
	trap 'rm -rf "$src"' EXIT
	unpack "$src"
	bad=0
	while read -r p; do
		if (cd "$src" && ./scripts/checkpatch.pl -q "$QDIR/patches/$p"); then
			echo "ok: $p"
		else
			echo "failed: QEMU checkpatch: $p"
			bad=$((bad + 1))
		fi
	done <"$QDIR/patches/series"
	n=$(grep -c . "$QDIR/patches/series")
	echo "qemu-checkpatch: $((n - bad)) passed, $bad failed"
	[ $bad = 0 ]
	exit
fi

if [ "${1:-}" = systest ]; then
	qemu=$("$0") || die "no QEMU to test"
	src=$(mktemp -d)
	trap 'rm -rf "$src"' EXIT
	unpack "$src"
	sys=$src/tests/tcg/aarch64/system
	for f in boot poe; do
		aarch64-linux-gnu-gcc -nostdlib -O0 -x assembler-with-cpp \
			-Wa,--noexecstack -c "$sys/$f.S" -o "$src/$f.o" ||
			die "could not build tests/tcg/aarch64/system/$f.S"
	done
	aarch64-linux-gnu-gcc -static -nostdlib -Wl,-T"$sys/kernel.ld" \
		"$src/boot.o" "$src/poe.o" -lgcc -o "$src/poe" || die "could not link poe"
	bad=0
	# -CPU, and what the test must print.
	for run in "max:PASS: stage 1 permission overlay" "max,poe=off:SKIP: no FEAT_S1POE"; do
		rc=0
		got=$(timeout 60 "$qemu" -M virt -cpu "${run%%:*}" -nic none -display none \
			-semihosting-config enable=on,target=native,chardev=output \
			-chardev stdio,id=output -kernel "$src/poe" </dev/null 2>&1) || rc=$?
		if [ $rc = 0 ] && grep -qx "${run#*:}" <<<"$got"; then
			echo "ok: poe -cpu ${run%%:*}: $got"
		else
			echo "failed: poe -cpu ${run%%:*}: ${got:-no output} (exit $rc)"
			bad=$((bad + 1))
		fi
	done
	echo "qemu-systest: $((2 - bad)) passed, $bad failed"
	[ $bad = 0 ]
	exit
fi

if [ -x "$out/qemu-system-aarch64" ]; then
	echo "$out/qemu-system-aarch64"
	exit 0
fi

info "qemu: building qemu-system-aarch64 $QEMU_VERSION with FEAT_S1POE (once, ~3 minutes)" >&2
start=$(date +%s)
tools=$CACHE/qemu-tools
if [ ! -d "$tools/usr/lib/python3/dist-packages/mesonbuild" ] ||
   [ ! -d "$tools/usr/lib/python3/dist-packages/pycotap" ]; then
	rm -rf "$tools"
	dpkg-deb -x "$(fetch "$MESON_DEB" "$MESON_DEB_SHA256")" "$tools"
	dpkg-deb -x "$(fetch "$PYCOTAP_DEB" "$PYCOTAP_DEB_SHA256")" "$tools"
fi
export PATH=$tools/usr/bin:$PATH PYTHONPATH=$tools/usr/lib/python3/dist-packages

work=$out.work
rm -rf "$work" "$out"
unpack "$work/src"
mkdir -p "$work/build"
log=$work/build.log
(cd "$work/build" &&
 ../src/configure --python=/usr/bin/python3 --target-list=aarch64-softmmu \
	--without-default-features --enable-fdt=system --disable-docs \
	--disable-user --disable-install-blobs &&
 ninja -j"$(nproc)" qemu-system-aarch64) >"$log" 2>&1 ||
	{ tail -n 30 "$log" >&2; die "QEMU build failed (log: $log)"; }
mkdir -p "$out"
cp "$work/build/qemu-system-aarch64" "$out/"
rm -rf "$work"
info "qemu: built in $(($(date +%s) - start))s: $out/qemu-system-aarch64" >&2
echo "$out/qemu-system-aarch64"
