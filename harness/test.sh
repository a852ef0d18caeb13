#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Everything the series has, in order. Each step's own summary line
# ('X: N passed, N failed, N skipped') is added up; a step without one
# counts as one test. A step that cannot run is a failure, never a pass.
# Ends with 'N passed, N failed[, N skipped]' and exits non-zero on any
# failure. The failures are listed again at the end, where a CI log's
# tail shows them: each failed step, the 'failed: ...' lines it printed
# (KUnit cases), or its last line.

. "$(dirname "$0")/lib.sh"

pass=0 fail=0 skip=0
failures=()
start=$(date +%s)

# step NAME COMMAND...: run, stream the output, add up its result.
step() {
	local name=$1 out rc=0 line p f s
	shift
	echo "== $name"
	out=$(mktemp)
	"$@" 2>&1 | tee "$out" || rc=$?
	line=$(grep -E '^[a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed' "$out" | tail -n1 || true)
	if [ $rc != 0 ] || grep -aq '^failed: ' "$out"; then
		failures+=("$name:")
		mapfile -t -O ${#failures[@]} failures < <(grep -a '^failed: ' "$out" ||
							   tail -n1 "$out")
	fi
	rm -f "$out"
	if [ -n "$line" ]; then
		read -r p f s < <(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?.*/\1 \2 \4/' <<<"$line")
		[ $rc = 0 ] || [ "$f" != 0 ] || f=1
	elif [ $rc = 0 ]; then
		p=1 f=0
	else
		p=0 f=1
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + ${s:-0}))
	[ $rc = 0 ] && [ "$f" = 0 ]
}

"$TOP/harness/tree.sh" >/dev/null 2>&1 || [ -d "$TREE/.git" ] ||
	die "cannot create build/linux (run 'make tree')"
"$TOP/harness/export.sh" check >/dev/null ||
	warn "build/linux differs from patches/: testing the tree as it is"

step "checkpatch --strict" "$TOP/harness/checkpatch.sh" || true

# TEST_ARCH (make test ARCH=...): that architecture only.
want() { [ -z "${TEST_ARCH:-}" ] || [ "$TEST_ARCH" = "$1" ]; }

# kpkeys_state LOG WANT: the boot log has exactly one kpkeys state line,
# and it says WANT ("enabled", "not available" or "either").
kpkeys_state() {
	local lines
	lines=$(grep -E 'kpkeys: (enabled|not available)' "$1" || true)
	echo "${lines:-no kpkeys state line in $1}"
	[ "$(grep -c . <<<"$lines")" = 1 ] && [ -n "$lines" ] &&
		{ [ "$2" = either ] || grep -q "kpkeys: $2" <<<"$lines"; }
}

# attack_steps ARCH: on the default kernel with the feature (-cpu max), the
# demo's attacks, CPU offline/online loops, and a boot per panic attack.
attack_steps() {
	local attack

	CMD=kpkeys-demo QEMU_CPU=max step "$1 demo: page-table writes blocked, system still works" \
		"$TOP/harness/vm.sh" run "$1" default || true
	CMD="cpu-hotplug 20" QEMU_CPU=max step "$1: CPU 1 offline and online 20 times, tables still refused" \
		"$TOP/harness/vm.sh" run "$1" default || true
	while read -r attack; do
		QEMU_CPU=max step "$1: ${attack%%:*} is refused (panic)" \
			panic_attack "$1" "$attack" || true
	done < <(panic_attacks "$1")
}

# attack_steps_count ARCH: how many steps attack_steps runs.
attack_steps_count() {
	echo $((2 + $(panic_attacks "$1" | grep -c .)))
}

if ! want x86_64; then
	:
elif step "build x86_64" "$TOP/harness/build.sh" x86_64 default; then
	QEMU_CPU=max step "kunit x86_64 -cpu max" "$TOP/harness/vm.sh" kunit x86_64 default || true
	QEMU_CPU=max,-pks step "kunit x86_64 -cpu max,-pks" "$TOP/harness/vm.sh" kunit x86_64 default || true
	CMD=pku-check step "x86_64 user-space PKU still works" "$TOP/harness/vm.sh" run x86_64 default || true
	attack_steps x86_64
else
	fail=$((fail + 3 + $(attack_steps_count x86_64))) failures+=("x86_64: steps not run")
fi

# The x86-64 page-table layouts of a distribution kernel: PTI (pti=on),
# 5-level paging, KASLR of the memory layout, booted through EFI firmware
# (configs/flavour/layouts).
if ! want x86_64; then
	:
elif step "build x86_64 layouts" "$TOP/harness/build.sh" x86_64 layouts; then
	EFI=1 QEMU_CPU=max APPEND=pti=on FILTER='kpkeys*' \
		step "kunit x86_64 layouts, EFI, pti=on" "$TOP/harness/vm.sh" kunit x86_64 layouts || true
	EFI=1 QEMU_CPU=max APPEND=pti=on CMD="kpkeys-demo efi" \
		step "x86_64 layouts demo, EFI, pti=on: page-table writes blocked, EFI works" \
		"$TOP/harness/vm.sh" run x86_64 layouts || true
	for attack in "${EFI_PANIC_ATTACKS[@]}"; do
		QEMU_CPU=max step "x86_64 layouts, EFI: ${attack%%:*} is refused (panic)" \
			efi_panic_attack "$attack" || true
	done
else
	fail=$((fail + 2 + ${#EFI_PANIC_ATTACKS[@]})) failures+=("x86_64 layouts: steps not run")
fi

# The debug flavour (lockdep, DEBUG_VM, DEBUG_VM_PGTABLE): the kpkeys
# suites with hardening on, and debug_vm_pgtable()'s boot-time checks of
# every page-table helper, which must have run; vm.sh fails the run on
# any WARNING, BUG, oops or lockdep report in the log.
if ! want x86_64; then
	:
elif step "build x86_64 debug" "$TOP/harness/build.sh" x86_64 debug; then
	LOG=$BUILD/logs/test-kunit-x86_64-debug.log QEMU_CPU=max FILTER='kpkeys*' \
		step "kunit x86_64 debug (lockdep, DEBUG_VM, DEBUG_VM_PGTABLE)" \
		"$TOP/harness/vm.sh" kunit x86_64 debug || true
	step "x86_64 debug: debug_vm_pgtable() ran" \
		grep -m1 'debug_vm_pgtable: .*Validating architecture page table helpers' \
		"$BUILD/logs/test-kunit-x86_64-debug.log" || true
else
	fail=$((fail + 2)) failures+=("x86_64 debug: steps not run")
fi

# arm64 on our QEMU with FEAT_S1POE (harness/qemu.sh; QEMU=... for
# another): every kpkeys suite with POE, the demo's attacks and the panic
# attacks; then the same kernel on the same CPU model without POE, where
# kpkeys must say it is not available and its tests skip.
if ! want arm64; then
	:
elif step "qemu: FEAT_S1POE patches pass QEMU's checkpatch" "$TOP/harness/qemu.sh" checkpatch &&
     step "qemu: its FEAT_S1POE system test (tests/tcg/aarch64/system/poe.S)" \
	"$TOP/harness/qemu.sh" systest &&
     step "build arm64" "$TOP/harness/build.sh" arm64 default; then
	LOG=$BUILD/logs/test-kunit-arm64.log QEMU_CPU=max \
		step "kunit arm64 -cpu max (POE)" "$TOP/harness/vm.sh" kunit arm64 default || true
	step "arm64 -cpu max: one kpkeys line at boot, 'enabled'" \
		kpkeys_state "$BUILD/logs/test-kunit-arm64.log" enabled || true
	attack_steps arm64
	LOG=$BUILD/logs/test-kunit-arm64-nopoe.log QEMU_CPU=max,poe=off FILTER='kpkeys*' \
		step "kunit arm64 -cpu max,poe=off" "$TOP/harness/vm.sh" kunit arm64 default || true
	step "arm64 -cpu max,poe=off: one kpkeys line at boot, 'not available'" \
		kpkeys_state "$BUILD/logs/test-kunit-arm64-nopoe.log" "not available" || true
else
	fail=$((fail + 4 + $(attack_steps_count arm64))) failures+=("arm64: steps not run")
fi

echo "== test: done in $(($(date +%s) - start))s"
[ ${#failures[@]} = 0 ] || printf '%s\n' "== failures" "${failures[@]}"
if [ $skip = 0 ]; then
	echo "$pass passed, $fail failed"
else
	echo "$pass passed, $fail failed, $skip skipped"
fi
[ $fail = 0 ]
