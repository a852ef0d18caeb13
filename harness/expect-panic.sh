#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# expect-panic.sh ARCH PATTERN CMD: boot the ARCH kernel (of $PANIC_FLAVOUR,
# default by default), run CMD in the guest, and pass only if the kernel
# panics with PATTERN in its log (for attacks whose defence is a panic).
# Prints the matching line.

. "$(dirname "$0")/lib.sh"

arch=$1 pattern=$2 flavour=${PANIC_FLAVOUR:-default}
export CMD=$3 LOG=$BUILD/logs/expect-panic-$1-$flavour.log TIMEOUT=${TIMEOUT:-180}
export APPEND="kunit.enable=0 ${APPEND:-}"
rc=0
"$TOP/harness/vm.sh" run "$arch" "$flavour" >/dev/null 2>&1 || rc=$?
if line=$(grep -m1 -o "$pattern.*" "$LOG"); then
	echo "panicked as expected: $line"
	exit 0
fi
grep -a 'FAIL: ' "$LOG" | tail -n1 || true
die "no panic with '$pattern' (guest exit $rc); serial log: $LOG"
