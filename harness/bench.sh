#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: instructions and kpkeys register writes per operation, for
# the base tree without the series and for the series booted three ways
# (nokpkeys: compiled in, off; hardening on; kpkeys_pgtables=nobatch),
# under QEMU TCG -icount shift=0 (guest time = instructions), 1 vCPU,
# -cpu max,-erms, nokaslr norandmaps. Both kernels are built from the
# same config fragments (the series' own options dropped for the base).
# Workloads: vm/opcount (mm operations) and vm/vmallocbench (the tree's
# lib/test_vmalloc.c). No wall time is measured.
#
# PASSES (default 3) passes per boot, BOOTS (default 2) boots per kernel
# and mode. Writes results/bench.md, results/bench.csv and one chart per
# group (results/bench-*.png); nothing unless every boot reports every
# operation.

. "$(dirname "$0")/lib.sh"

icount_setup 1800
passes=${PASSES:-3} boots=${BOOTS:-2}
ops="fork-small fork-256m fork-exec fault fault-around munmap mprotect mremap brk thp-split"
thp=/sys/kernel/mm/transparent_hugepage/enabled
# MODE:KERNEL:COMMAND LINE:the kpkeys line its boot log must have
modes=("base:base::"
       "nokpkeys:series:nokpkeys:kpkeys: not available on this CPU or disabled"
       "on:series::kpkeys: hardened page tables on"
       "nobatch:series:kpkeys_pgtables=nobatch:batching off")

"$TOP/harness/build.sh" x86_64 default
BASE=1 "$TOP/harness/build.sh" x86_64 default

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for boot in $(seq 1 "$boots"); do
	for m in "${modes[@]}"; do
		IFS=: read -r mode kernel append want <<<"$m"
		log=$BUILD/logs/bench-$mode-$boot.log
		echo "bench: boot $boot/$boots, $mode${append:+ ($append)}"
		base=
		[ "$kernel" = series ] || base=1
		BASE=$base LOG=$log APPEND="$ICOUNT_APPEND $append" \
		CMD="echo madvise >$thp && opcount $passes $ops && vmallocbench $passes" \
			"$TOP/harness/vm.sh" run x86_64 default | tr -d '\r' >"$work/$mode.$boot" ||
			die "the benchmark failed ($mode, boot $boot): $(tail -n1 "$work/$mode.$boot"); serial log: $log"
		[ -z "$want" ] || grep -q "$want" "$log" ||
			die "$mode boot $boot: no '$want' in its log: not the kernel state wanted; serial log: $log"
		[ -z "$base" ] || ! grep -q 'kpkeys: ' "$log" ||
			die "the base kernel's log mentions kpkeys: not the base tree; serial log: $log"
	done
done

command -v gnuplot >/dev/null || die "gnuplot not found (run 'make deps')"
python3 "$TOP/harness/bench_report.py" "$work" "$TOP/results" \
	"QEMU_CPU=$QEMU_CPU, $passes passes x $boots boots, kernel $(sed -n 's/.*Linux version \([^ ]*\).*/\1/p' "$BUILD/logs/bench-on-1.log" | head -n1)"
