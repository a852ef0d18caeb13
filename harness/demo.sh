#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the x86-64 kernel with the series, boot it with PKS (-cpu max)
# and run vm/kpkeys-demo in the guest; then a boot for each attack whose
# defence is a panic (PANIC_ATTACKS in lib.sh). Then the same for the
# layouts flavour booted through EFI firmware, with EFI's own attacks.

. "$(dirname "$0")/lib.sh"

"$TOP/harness/build.sh" x86_64 default
echo "demo: booting under QEMU TCG, -cpu ${QEMU_CPU:-max}"
CMD=kpkeys-demo "$TOP/harness/vm.sh" run x86_64 default
for attack in "${PANIC_ATTACKS[@]}"; do
	echo
	echo "-- lkdtm ${attack%%:*} (a boot of its own: the defence is a panic or an oops)"
	QEMU_CPU=${QEMU_CPU:-max} panic_attack "$attack"
	echo "  -> blocked"
done

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
