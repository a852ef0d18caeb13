#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the x86-64 kernel with the series, boot it with PKS (-cpu max)
# and run vm/kpkeys-demo in the guest; then a second boot for the one
# attack whose defence is a panic (a forged page-table root).

. "$(dirname "$0")/lib.sh"

"$TOP/harness/build.sh" x86_64 default
echo "demo: booting under QEMU TCG, -cpu ${QEMU_CPU:-max}"
CMD=kpkeys-demo "$TOP/harness/vm.sh" run x86_64 default
echo
echo "-- lkdtm KPKEYS_FORGE_PGD_POINTER (a second boot: the defence is a panic)"
QEMU_CPU=${QEMU_CPU:-max} "$TOP/harness/expect-panic.sh" x86_64 'kpkeys: refusing page-table root' \
	"echo KPKEYS_FORGE_PGD_POINTER > /sys/kernel/debug/provoke-crash/DIRECT"
echo "  -> blocked"
