#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the x86-64 kernel with the series, boot it with PKS (-cpu max)
# and run vm/kpkeys-demo in the guest.

. "$(dirname "$0")/lib.sh"

"$TOP/harness/build.sh" x86_64 default
echo "demo: booting under QEMU TCG, -cpu ${QEMU_CPU:-max}"
CMD=kpkeys-demo exec "$TOP/harness/vm.sh" run x86_64 default
