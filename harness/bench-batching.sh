#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-batching.sh [ARCH]: build the ARCH kernel (x86_64 by default),
# boot it twice under QEMU TCG (-cpu max), with page-table write batching
# on and with kpkeys_pgtables=nobatch, run vm/ptbench fork/munmap/fault
# in each, and write the kernel's counter deltas as a table to
# results/batching.md (results/batching-ARCH.md for another ARCH) and
# stdout.
#
# KERNEL=path benchmarks that image instead and builds nothing. MEM,
# SMP and TIMEOUT (per boot, default 1800 s) pass on to vm.sh. Nothing
# is written unless both boots report every operation.

. "$(dirname "$0")/lib.sh"

STATS=/sys/kernel/debug/kpkeys/stats
OPS=("fork 1024" "munmap 1024" "fault 256")
export QEMU_CPU=${QEMU_CPU:-max} TIMEOUT=${TIMEOUT:-1800}
ARCH=${1:-x86_64}
load_arch "$ARCH"
results=$TOP/results/batching.md
[ "$ARCH" = x86_64 ] || results=$TOP/results/batching-$ARCH.md

[ -n "${KERNEL:-}" ] || "$TOP/harness/build.sh" "$ARCH" default

cmd="echo \"kernel: \$(uname -r)\" && sed 's/^/state: /' $STATS"
for op in "${OPS[@]}"; do
	cmd+=" && ptbench $op"
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# boot MODE APPEND: run the guest, keep its output in $work/MODE.
boot() {
	local mode=$1 out=$work/$1 rc=0

	echo "bench-batching: batching $mode${2:+ ($2)}, -cpu $QEMU_CPU"
	APPEND=$2 CMD=$cmd "$TOP/harness/vm.sh" run "$ARCH" default |
		tr -d '\r' | tee "$out" || rc=$?
	grep -q '^kernel: ' "$out" ||
		die "the guest (batching $mode) did not run the benchmark (exit $rc)"
	grep -q '^state: ' "$out" ||
		die "no $STATS in the guest: kernel $(sed -n 's/^kernel: //p' "$out") has no kpkeys page-table stats"
	[ $rc = 0 ] || die "the benchmark failed in the guest (batching $mode, exit $rc)"
}

# state MODE KEY: a level from the stats file at boot, or n/a.
state() {
	sed -n "s/^state: $2 //p" "$work/$1" | grep . || echo n/a
}

# field MODE OP KEY: one value from ptbench's headline for OP.
field() {
	sed -n "s/^ptbench $2 [0-9]*MiB: //p" "$work/$1" | tr ' ' '\n' |
		sed -n "s/^$3=//p" | grep . || echo n/a
}

boot on ""
boot off kpkeys_pgtables=nobatch

for mode in on off; do
	want=1
	[ $mode = on ] || want=0
	hard=$(state $mode hardened_pgtables) batch=$(state $mode batching)
	[ "$hard" = 1 ] || [ "$hard" = n/a ] ||
		die "hardened page tables are off in the guest (batching $mode boot)"
	[ "$batch" = $want ] || [ "$batch" = n/a ] ||
		die "the batching $mode boot reports 'batching $batch'"
	for op in "${OPS[@]}"; do
		grep -q "^ptbench ${op}MiB: " "$work/$mode" || die "no result for 'ptbench $op' (batching $mode)"
	done
done
kver=$(sed -n 's/^kernel: //p' "$work/on")

{
	echo "# Page-table write batching: kpkeys register writes"
	echo
	echo "Kernel \`$kver\` (uname -r in the guest), measured $(date -u +%Y-%m-%d)"
	echo "$ARCH under QEMU TCG, \`-cpu $QEMU_CPU\`, ${SMP:-2} CPUs, ${MEM:-2048} MiB."
	echo "The numbers are deltas of the kernel's own counters in \`$STATS\`"
	echo "around each operation, not wall time. The counters are system-wide; the"
	echo "guest runs nothing else. Batching on: the default command line; off:"
	echo "\`kpkeys_pgtables=nobatch\`. fork: fork() of a process with the given"
	echo "amount of touched anonymous memory (4K PTEs, THP off), the child exiting"
	echo "at once, and waitpid() (the child's teardown is included); munmap: unmap"
	echo "touched memory; fault: the first write to each 4K page of a fresh mapping."
	echo "Reproduce with \`make bench-batching\`."
	echo
	echo "| operation | batching | reg_writes | lazy_mmu_batches | lazy_mmu_writes | batch writes/batch | total writes/batch | writes per 4K page |"
	echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
	for op in "${OPS[@]}"; do
		for mode in on off; do
			row="| ${op% *} ${op#* } MiB | $mode |"
			for key in reg_writes lazy_mmu_batches lazy_mmu_writes batch_writes_per_batch \
				   total_writes_per_batch writes_per_page; do
				row+=" $(field $mode "${op% *}" $key) |"
			done
			echo "$row"
		done
	done
} >"$work/batching.md"

mkdir -p "$(dirname "$results")"
cp "$work/batching.md" "$results"
echo
cat "$results"
