#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the x86-64 kernel and boot it twice under QEMU TCG (-cpu max, two
# NUMA nodes, one vCPU each): PTP cache on, and kpkeys_ptp_cache=off. In
# each, vm/ptp-cache-bench allocates thousands of page tables, lets them
# go, shrinks, and runs a memory hog. Checks what the cache promises and
# writes results/ptp-cache.md (and stdout).
#
# NPROC and MIB size the workload (default 64 processes of 1024 MiB: 512
# PTE tables each). KERNEL=path benchmarks that image and builds nothing.
# TIMEOUT is per boot (default 1800 s). Nothing is written unless both
# boots ran the whole workload.

. "$(dirname "$0")/lib.sh"

NPROC=${NPROC:-64} MIB=${MIB:-1024}
export QEMU_CPU=${QEMU_CPU:-max} TIMEOUT=${TIMEOUT:-1800} SMP=2,sockets=2 MEM=4096
# Two nodes of 2 GiB, one socket and vCPU each, each vCPU on a host
# thread of its own.
export TCG_THREAD=multi QEMU_EXTRA="-object memory-backend-ram,id=m0,size=2048M
-object memory-backend-ram,id=m1,size=2048M -numa node,nodeid=0,cpus=0,memdev=m0
-numa node,nodeid=1,cpus=1,memdev=m1"
results=$TOP/results/ptp-cache.md
POINTS=(boot peak exit shrink exit2 hog)

[ -n "${KERNEL:-}" ] || "$TOP/harness/build.sh" x86_64 default

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# boot MODE APPEND: run the guest, keep its output in $work/MODE.
boot() {
	local mode=$1 out=$work/$1 rc=0

	echo "bench-ptp-cache: cache $mode${2:+ ($2)}, -cpu $QEMU_CPU, $NPROC x $MIB MiB"
	# The built-in KUnit suites would run first and leave their traces.
	APPEND="kunit.enable=0 $2" CMD="ptp-cache-bench $NPROC $MIB" \
		"$TOP/harness/vm.sh" run x86_64 default | tr -d '\r' | tee "$out" |
		grep -v '^snap ' || rc=$?
	cp "$out" "$BUILD/logs/bench-ptp-cache-$mode.out"
	grep -q '^snap hog hog_exit ' "$out" ||
		die "the guest (cache $mode) did not run the whole workload (exit $rc); output in build/logs/bench-ptp-cache-$mode.out"
}

# val MODE POINT NAME: one value of a snapshot, or n/a.
val() {
	awk -v p="$2" -v n="$3" '$1 == "snap" && $2 == p && $3 == n { v = $4 }
		END { print v == "" ? "n/a" : v }' "$work/$1"
}

# delta MODE NAME FROM TO
delta() {
	local a b
	a=$(val "$1" "$3" "$2") b=$(val "$1" "$4" "$2")
	[ "$a" = n/a ] || [ "$b" = n/a ] && echo n/a || echo $((b - a))
}

boot on ""
boot off kpkeys_ptp_cache=off

[ "$(val on boot ptp_cache)" = 1 ] || die "the cache is not on in the 'on' boot"
[ "$(val off boot ptp_cache)" = 0 ] || die "the cache is not off in the 'off' boot"
nodes=$(sed -n 's/^nodes: //p' "$work/on")
reserve=$(val on boot reserve_target)
block=$((1 << $(val on boot block_order)))
kver=$(sed -n 's/^kernel: //p' "$work/on")

# What the cache promises; the harness fails if it does not hold.
fail=()
splits=$(delta on split_pmd_keying boot hog)
[ "$splits" = 0 ] || fail+=("cache on: $splits 2M direct-map splits by keying during the workload")
for ((n = 0; n < nodes; n++)); do
	free=$(val on shrink "node${n}_free")
	[ "$free" != n/a ] && [ "$free" -le $((block + reserve)) ] ||
		fail+=("cache on: node $n holds $free free pages after exit and a shrink (limit $((block + reserve)))")
done
for mode in on off; do
	[ "$(val $mode hog hog_exit)" = 0 ] ||
		fail+=("cache $mode: the hog failed (exit $(val $mode hog hog_exit))")
done
for mode in on off; do
	[ "$(val $mode hog dmesg_problems)" = 0 ] ||
		fail+=("cache $mode: $(val $mode hog dmesg_problems) WARNING/BUG/Oops lines in the kernel log")
done
returned=$(delta on shrunk_blocks exit2 hog)
[ "$returned" != n/a ] && [ "$returned" -gt 0 ] ||
	fail+=("cache on: the shrinker returned no block under the hog's pressure")
oom_on=$(delta on oom_kill boot hog) oom_off=$(delta off oom_kill boot hog)
[ "$oom_on" = 0 ] || [ "$oom_off" != 0 ] ||
	fail+=("cache on: $oom_on OOM kills that the cache off boot does not have")

mib() {
	[ "$1" = n/a ] && echo n/a || awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'
}

{
	echo "# PTP cache: the direct map with every page table keyed"
	echo
	echo "Kernel \`$kver\` (uname -r in the guest), measured $(date -u +%Y-%m-%d) under"
	echo "QEMU TCG, \`-cpu $QEMU_CPU\`, 2 vCPUs on 2 NUMA nodes of 2 GiB each. Same kernel, two"
	echo "boots: cache on (default) and \`kpkeys_ptp_cache=off\` (each page table keyed"
	echo "on its own with \`set_memory_pkey()\`). Workload (\`vm/ptp-cache-bench\`): $NPROC"
	echo "processes, alternately pinned to each vCPU, each writing one byte every 2 MiB"
	echo "of a $MIB MiB mapping (one PTE table per 2 MiB); \"peak\" is with all of them"
	echo "alive, \"exit\" after they exit, \"shrink\" after \`drop_caches=2\`; then the"
	echo "workload again (\"exit2\") and a memory hog (\"hog\") as large as MemFree plus"
	echo "the cache's free pages minus 128 MiB, which needs the cache's memory back."
	echo "Values are the kernel's own: DirectMap from /proc/meminfo (MiB), the rest"
	echo "from /sys/kernel/debug/kpkeys/pgtables."
	echo "Splits count direct-map splits made while keying, since boot (boot"
	echo "includes the tables that exist before the cache). Reproduce with"
	echo "\`make bench-ptp-cache\`."
	echo
	echo "| point | cache | DirectMap4k | DirectMap2M | DirectMap1G | 2M splits by keying | 1G splits by keying | PTP allocs | cache blocks | cache pages | cache free | keyed pages |"
	echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	for p in "${POINTS[@]}"; do
		for mode in on off; do
			row="| $p | $mode |"
			for k in DirectMap4k DirectMap2M DirectMap1G; do
				row+=" $(mib "$(val $mode $p $k)") |"
			done
			for k in split_pmd_keying split_pud_keying ptp_allocs blocks cache_pages \
				 cache_free keyed_pages; do
				row+=" $(val $mode $p $k) |"
			done
			echo "$row"
		done
	done
	echo
	echo "During the workload (boot to hog):"
	echo
	for mode in on off; do
		echo "- cache $mode: $(delta $mode split_pmd_keying boot hog) 2M and" \
		     "$(delta $mode split_pud_keying boot hog) 1G direct-map splits by keying," \
		     "$(delta $mode split_pmd_other boot hog) 2M splits by others;" \
		     "$(delta $mode ptp_allocs boot hog) PTP allocations;" \
		     "hog exit $(val $mode hog hog_exit), OOM kills $(delta $mode oom_kill boot hog)"
	done
	echo "- cache on, under the hog: the shrinker returned $returned blocks" \
	     "(cache free $(val on exit2 cache_free) -> $(val on hog cache_free) pages)"
	echo "- cache on, after exit and a shrink, per node:" \
	     "$(for ((n = 0; n < nodes; n++)); do
			printf 'node %d %s free / %s blocks; ' $n "$(val on shrink node${n}_free)" \
				"$(val on shrink node${n}_blocks)"
		done)limit $((block + reserve)) free pages (one block + the reserve)"
	echo "- cache on, refills by order:" \
	     "$(awk '$1 == "snap" && $2 == "hog" && $3 ~ /^refills_order/ {
			sub("refills_order", "", $3); printf "%s: %s, ", $3, $4 }' "$work/on")fallbacks" \
	     "$(val on hog refill_fallbacks), shrinker returned $(val on hog shrunk_blocks) blocks" \
	     "($(val on hog shrunk_pages) pages), split tables taken from the block being keyed:" \
	     "$(val on hog split_tables_from_block)"
	echo "- cache on, node locks: $(val on hog lock_acquired) acquired," \
	     "$(val on hog lock_contended) contended (2 vCPUs on 2 host threads)"
} >"$work/ptp-cache.md"

echo
cat "$work/ptp-cache.md"
[ ${#fail[@]} = 0 ] || die "$(printf '%s; ' "${fail[@]}")results not written"
mkdir -p "$(dirname "$results")"
cp "$work/ptp-cache.md" "$results"
echo "bench-ptp-cache: written to ${results#"$TOP"/}"
