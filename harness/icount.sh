#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Instructions per page-table operation (vm/opcount), hardening on and
# kpkeys_pgtables=off, in one kernel, under QEMU TCG -icount shift=0
# (guest time = instructions), 1 vCPU, -cpu max,-erms, nokaslr
# norandmaps. Prints one table to stdout; no wall time is measured.
#
# KERNEL=path measures that image instead of the build's. PASSES (default
# 5) passes per boot, the median is kept.

. "$(dirname "$0")/lib.sh"

icount_setup 900
passes=${PASSES:-5}

[ -n "${KERNEL:-}" ] || "$TOP/harness/build.sh" x86_64 default

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for mode in on off; do
	append=$ICOUNT_APPEND
	[ $mode = on ] || append+=" kpkeys_pgtables=off"
	APPEND=$append CMD="opcount $passes fork-small fork-64m fault munmap mprotect" \
		"$TOP/harness/vm.sh" run x86_64 default |
		tr -d '\r' >"$work/$mode" || die "opcount failed (hardening $mode): $(tail -n1 "$work/$mode")"
done

printf '%-12s %12s %12s %8s\n' operation "on" "off" "on/off"
sed -n 's/^opcount \([^:]*\): \([0-9]*\).*/\1 \2/p' "$work/on" |
while read -r op on; do
	off=$(sed -n "s/^opcount $op: \([0-9]*\).*/\1/p" "$work/off")
	printf '%-12s %12s %12s %8s\n' "$op" "$on" "$off" \
		"$(awk -v a="$on" -v b="$off" 'BEGIN { printf "%.4f", a / b }')"
done
