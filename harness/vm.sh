#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm.sh run   ARCH FLAVOUR   boot; run $CMD (or a shell) in the guest
# vm.sh kunit ARCH FLAVOUR   boot; run the built-in KUnit suites ($FILTER)
#
# Environment: CMD, FILTER, QEMU_CPU, QEMU (binary), SMP, MEM, TIMEOUT,
# TCG_THREAD (single, or multi: one host thread per vCPU), QEMU_EXTRA
# (more QEMU arguments, split at spaces),
# EFI=1 (boot through the arch's EFI firmware, with a fresh variable
# store), BASE=1 (the base tree's kernel, see build.sh), APPEND (extra
# kernel command line), LOG (serial log path), KERNEL (another kernel
# image than the build's), EXTRA_DIR (a host directory
# whose contents are copied into the root of the per-run archive, e.g.
# EXTRA_DIR=build/mm-selftests-ARCH/root puts its selftests/ at /selftests).
#
# The kernel console goes to a serial log under build/logs/; the guest
# command's stdio goes to a virtio console on our stdout. A run that
# hangs ends at $TIMEOUT; a run that does not report an exit status
# (panic, hang) fails with exit 2 and names the kept log.

. "$(dirname "$0")/lib.sh"

mode=${1:-}
load_arch "${2:-}"
check_flavour "${3:-}"
base_tree
out=$(out_dir)
kernel=${KERNEL:-$out/$KIMAGE}
[ -f "$kernel" ] || die "no kernel at ${kernel#"$TOP"/}: run 'make build ARCH=$ARCH FLAVOUR=$FLAVOUR'"

cpu=${QEMU_CPU:-$QEMU_CPU_DEFAULT}
qemu=${QEMU:-$QEMU_BIN}
# An architecture whose feature no QEMU release emulates builds its own
# (arm64: harness/qemu.sh, cached after the first build).
if [ -z "${QEMU:-}" ] && [ -n "${QEMU_BUILD:-}" ]; then
	qemu=$("$TOP/harness/$QEMU_BUILD") || die "could not build QEMU (harness/$QEMU_BUILD)"
fi
timeout=${TIMEOUT:-300}
mkdir -p "$BUILD/logs"
log=${LOG:-$BUILD/logs/$mode-$ARCH-$FLAVOUR-${cpu//[^a-zA-Z0-9]/_}.log}
command -v "$qemu" >/dev/null || die "QEMU binary '$qemu' not found (run 'make deps')"

# The base initramfs: Debian's busybox-static for the guest arch, /init
# and the static helper programs in vm/. Rebuilt when an input changes.
initramfs() {
	local img=$BUILD/initramfs-$ARCH.cpio.gz bbdir=$CACHE/busybox-$DEB_ARCH
	local stage=$BUILD/initramfs-$ARCH.d src

	if [ ! -x "$bbdir/bin/busybox" ]; then
		rm -rf "$bbdir" && mkdir -p "$bbdir"
		(cd "$bbdir" && apt-get download -q "busybox-static:$DEB_ARCH" >/dev/null 2>&1) ||
			die "could not download busybox-static:$DEB_ARCH (run 'make deps')"
		dpkg-deb -x "$bbdir"/*.deb "$bbdir"
	fi
	if [ -f "$img" ] && [ -z "$(find "$TOP/vm" "$TOP/harness/vm.sh" -newer "$img")" ]; then
		echo "$img"
		return
	fi
	rm -rf "$stage" && mkdir -p "$stage/bin"
	cp "$bbdir/bin/busybox" "$stage/bin/"
	install -m 755 "$TOP/vm/init" "$stage/init"
	# Guest scripts: every executable in vm/ but /init.
	find "$TOP/vm" -maxdepth 1 -type f ! -name '*.c' ! -name init \
		-exec install -m 755 -t "$stage/bin" {} +
	for src in "$TOP"/vm/*.c; do
		"${CROSS_COMPILE}gcc" -static -O2 -Wall -Werror -o \
			"$stage/bin/$(basename "$src" .c)" "$src" ||
			die "could not build guest helper ${src#"$TOP"/}"
	done
	(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
		gzip -n >"$img"
	echo "$img"
}

# Per-run additions, appended as a second cpio archive: /cmd, modules,
# the contents of $EXTRA_DIR.
run_initramfs() {
	local base stage=$BUILD/run-$ARCH-$FLAVOUR.d img=$BUILD/run-$ARCH-$FLAVOUR.cpio.gz

	base=$(initramfs)
	rm -rf "$stage" && mkdir -p "$stage"
	[ -z "${CMD:-}" ] || printf '%s\n' "$CMD" >"$stage/cmd"
	if [ -n "${EXTRA_DIR:-}" ]; then
		[ -d "$EXTRA_DIR" ] || die "EXTRA_DIR '$EXTRA_DIR' is not a directory"
		cp -a "$EXTRA_DIR/." "$stage/"
	fi
	if [ -s "$out/modules.order" ]; then
		make -s -C "$TREE" O="$out" ARCH="$KARCH" CROSS_COMPILE="$CROSS_COMPILE" \
			INSTALL_MOD_PATH="$stage" \
			INSTALL_MOD_STRIP=1 modules_install >/dev/null ||
			die "modules_install failed"
	fi
	{ cat "$base"; (cd "$stage" && find . | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet | gzip -n); } >"$img"
	echo "$img"
}

append="console=$CONSOLE panic=-1 loglevel=7 ${APPEND:-}"
case $mode in
run) ;;
kunit)
	append+=" kunit_shutdown=reboot${FILTER:+ kunit.filter_glob=$FILTER}"
	CMD=${CMD:-true}
	;;
*) die "usage: vm.sh run|kunit ARCH FLAVOUR" ;;
esac

initrd=$(run_initramfs)
efi_args=()
if [ -n "${EFI:-}" ]; then
	[ -n "${EFI_CODE:-}" ] || die "no EFI firmware for $ARCH"
	[ -f "$EFI_CODE" ] || die "no EFI firmware at $EFI_CODE (run 'make deps')"
	cp "$EFI_VARS" "$BUILD/efivars-$ARCH-$FLAVOUR.fd"
	efi_args=(-drive "if=pflash,format=raw,readonly=on,file=$EFI_CODE"
		  -drive "if=pflash,format=raw,file=$BUILD/efivars-$ARCH-$FLAVOUR.fd")
fi
# shellcheck disable=SC2206 # QEMU_EXTRA is a list of words
qemu_args=($QEMU_MACHINE -cpu "$cpu" -smp "${SMP:-2}" -m "${MEM:-2048}"
	   -accel "tcg,thread=${TCG_THREAD:-single}" "${efi_args[@]}" ${QEMU_EXTRA:-} -nodefaults -display none -no-reboot
	   -kernel "$kernel" -initrd "$initrd" -append "$append"
	   -serial "file:$log"
	   -device virtio-serial-pci -chardev stdio,id=hvc,signal=off
	   -device virtconsole,chardev=hvc)

rc=0
if [ -z "${CMD:-}" ] && [ -t 0 ]; then
	echo "vm: interactive $ARCH guest (-cpu $cpu); kernel log in ${log#"$TOP"/}"
	"$qemu" "${qemu_args[@]}" || rc=$?
	exit $rc
fi
timeout -k 10 "$timeout" "$qemu" "${qemu_args[@]}" </dev/null 2>"$log.qemu" || rc=$?
# QEMU's own complaints (a bad -cpu, a missing file), not its exit on timeout.
grep -v 'terminating on signal' "$log.qemu" >&2 || true

status=$(sed -n 's/.*kpkeys-vm: exit \([0-9]*\).*/\1/p' "$log" | tail -n1)
if [ "$mode" = kunit ]; then
	grep -q 'KTAP version\|TAP version' "$log" ||
		die "no KUnit output from the $ARCH guest; serial log: $log"
	rc=0
	python3 "$TOP/harness/kunit_summary.py" "$TREE" "$log" || rc=$?
	# A test that passes while the kernel warns or oopses beside it is
	# no pass: the tests themselves provoke none of these.
	if grep -aE "$KERNEL_TROUBLE" "$log" | sed 's/^/failed: kernel: /' | head -n 5 | grep .; then
		rc=1
	fi
	exit $rc
fi
[ -z "$status" ] || exit "$status"
[ $rc != 124 ] && [ $rc != 137 ] || die "VM timed out after ${timeout}s; serial log: $log"
panic=$(grep -m1 -o 'Kernel panic - .*' "$log" || true)
[ -z "$panic" ] || die "guest kernel panic: $panic; serial log: $log"
die "VM exited (qemu status $rc) without reporting an exit status; serial log: $log"
