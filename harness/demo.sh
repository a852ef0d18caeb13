#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# demo.sh [ARCH]: build the ARCH kernel (x86_64 by default) with the
# series, boot it with the feature (-cpu max: PKS on x86-64, POE on arm64
# through harness/qemu.sh) and run vm/kpkeys-demo in the guest; then a
# boot for each attack whose defence is a panic (PANIC_ATTACKS in
# harness/arch/ARCH.sh). On x86-64, then the same for the layouts flavour
# booted through EFI firmware, with EFI's own attacks.

. "$(dirname "$0")/lib.sh"

ARCH=${1:-x86_64}
load_arch "$ARCH"

"$TOP/harness/build.sh" "$ARCH" default
echo "demo: booting under QEMU TCG, -cpu ${QEMU_CPU:-max}"
CMD=kpkeys-demo "$TOP/harness/vm.sh" run "$ARCH" default
while read -r attack; do
	echo
	echo "-- lkdtm ${attack%%:*} (a boot of its own: the defence is a panic or an oops)"
	QEMU_CPU=${QEMU_CPU:-max} panic_attack "$ARCH" "$attack"
	echo "  -> blocked"
done < <(panic_attacks "$ARCH")

[ "$ARCH" = x86_64 ] || exit 0
"$TOP/harness/build.sh" x86_64 layouts
echo
echo "demo: the layouts flavour (PTI, 5-level paging, KASLR) through EFI firmware"
EFI=1 APPEND=pti=on CMD="kpkeys-demo efi" "$TOP/harness/vm.sh" run x86_64 layouts
for attack in "${EFI_PANIC_ATTACKS[@]}"; do
	echo
	echo "-- lkdtm ${attack%%:*} (a boot of its own: the defence is a panic)"
	QEMU_CPU=${QEMU_CPU:-max} efi_panic_attack "$attack"
	echo "  -> blocked"
done
