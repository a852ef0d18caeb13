#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# soak.sh [ARCH]: no false positives from hardened page tables. Builds
# the ARCH kernel (x86_64 by default) and the mm selftests, then boots the
# kernel twice under QEMU TCG -cpu max:
#
#   on:  default command line: vm/mm-selftests, then vm/soak for
#        $SOAK_SECONDS (default 300); the selftests go first, so that
#        both boots run them on a freshly booted system
#   off: kpkeys_pgtables=off: vm/mm-selftests
#
# Both boots add kunit.enable=0: the boot-time KUnit suites are 'make
# kunit's business, and some provoke faults on purpose. Checks: each
# soak part and the soak's own dmesg check; each boot's whole kernel log
# (the serial log, selftests included) free of oopses and warnings; and
# one per selftest: the same result on and off (status, kselftest totals
# or exit status, not the time). Lists the tests that differ, writes
# results/soak.md (results/soak-ARCH.md for another ARCH) and ends with
# 'soak: N passed, N failed'.
#
# Environment: SOAK_SECONDS; KERNEL (boot that image, do not build);
# APPEND, SMP, MEM as for vm.sh.

. "$(dirname "$0")/lib.sh"

export LC_ALL=C
secs=${SOAK_SECONDS:-300}
[[ $secs =~ ^[1-9][0-9]*$ ]] || die "SOAK_SECONDS must be a number of seconds, not '$secs'"
bad='Oops|WARNING:|BUG:|kpkeys: violation|general protection|Call Trace'
ARCH=${1:-x86_64}
load_arch "$ARCH"
report=$TOP/results/soak.md
[ "$ARCH" = x86_64 ] || report=$TOP/results/soak-$ARCH.md
logs=$BUILD/logs
# The boots' logs: soak-on and soak-off, soak-ARCH-on/off for another.
tag=soak
[ "$ARCH" = x86_64 ] || tag=soak-$ARCH
pass=0 fail=0
declare -A took

# check WHAT COMMAND...: one check, passed if COMMAND succeeds.
check() {
	local what=$1
	shift
	if "$@"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "soak: FAILED: $what"
	fi
}

[ -n "${KERNEL:-}" ] || "$TOP/harness/build.sh" "$ARCH" default
root=$("$TOP/harness/mm-selftests.sh" "$ARCH")
# Every selftest may use its whole timeout; plus boot and reboot.
budget=$(awk '{ s += $2 } END { print s + 300 }' "$root/selftests/mm/tests")
mkdir -p "$logs" "$TOP/results"

# boot NAME APPEND TIMEOUT CMD: guest output to the terminal and
# $logs/soak-NAME.out, kernel console to $logs/soak-NAME.log.
boot() {
	local start=$SECONDS rc=0

	echo "soak: boot '$1': ${2:-default command line}, timeout ${3}s"
	EXTRA_DIR=$root QEMU_CPU=max LOG=$logs/$tag-$1.log TIMEOUT=$3 CMD=$4 \
		APPEND="${APPEND:-} kunit.enable=0 $2" \
		"$TOP/harness/vm.sh" run "$ARCH" default | tr -d '\r' |
		tee "$logs/$tag-$1.out" || rc=$?
	took[$1]=$((SECONDS - start))
	echo "soak: boot '$1': vm.sh status $rc after ${took[$1]}s"
}

stats=/sys/kernel/debug/kpkeys/stats
guest='echo "soak-vm: $(uname -r); $(cat /proc/cmdline)";'
guest+=" sed 's/^/soak-vm: stat /' $stats 2>/dev/null;"
boot on "" $((secs + budget)) "$guest mm-selftests; soak $secs; exit 0"
boot off kpkeys_pgtables=off "$budget" "$guest mm-selftests; exit 0"
on=$logs/$tag-on.out off=$logs/$tag-off.out

# The soak: its parts and its dmesg check count as checks here.
summary=$(grep -E '^soak: [0-9]+ passed, [0-9]+ failed' "$on" | tail -n 1 || true)
if [ -n "$summary" ]; then
	read -r p f < <(sed -E 's/^soak: ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/' <<<"$summary")
	pass=$((pass + p)) fail=$((fail + f))
	[ "$f" = 0 ] || echo "soak: FAILED: the soak in boot 'on': $summary"
else
	check "the soak in boot 'on' did not finish" false
fi

# Each boot: hardening as asked (when the kernel has the stats), the
# whole kernel log, the selftests finished.
declare -A hits hard
for b in on off; do
	hard[$b]=$(sed -n 's/^soak-vm: stat hardened_pgtables //p' "$logs/$tag-$b.out" | grep . || echo n/a)
	want=1
	[ $b = on ] || want=0
	check "boot '$b': hardened_pgtables is ${hard[$b]} in $stats, not $want" \
		[ "${hard[$b]}" = $want -o "${hard[$b]}" = n/a ]
	hits[$b]=$(grep -cE "$bad" "$logs/$tag-$b.log" || true)
	grep -m 20 -E "$bad" "$logs/$tag-$b.log" || true
	check "boot '$b': ${hits[$b]} lines of the kernel log match '$bad'" [ "${hits[$b]}" = 0 ]
	check "boot '$b': the mm selftests did not finish" \
		grep -qE '^mm-selftests: [0-9]+ passed' "$logs/$tag-$b.out"
done

# Selftest results, 'NAME<tab>STATUS<tab>SECONDS<tab>DETAILS' sorted by
# name, and both boots side by side.
results() {
	sed -nE 's/^(ok|not ok|skip) ([^ ]+) # ([0-9]+)s(, )?(.*)/\2\t\1\t\3\t\5/p' "$1" |
		awk -F'\t' -v OFS='\t' '{ if ($4 == "") $4 = "-"; print }' | sort
}
table=$(join -t $'\t' -a 1 -a 2 -e missing -o 0,1.2,1.3,1.4,2.2,2.3,2.4 \
	<(results "$on") <(results "$off"))
diffs=$(awk -F'\t' '$2 " " $4 != $5 " " $7 {
	printf "%s: on %s, %s; off %s, %s\n", $1, $2, $4, $5, $7 }' <<<"$table")
while IFS=$'\t' read -r name s1 _ d1 s2 _ d2; do
	[ -n "$name" ] || continue
	check "$name: on $s1, $d1; off $s2, $d2" [ "$s1 $d1" = "$s2 $d2" ]
done <<<"$table"

kver=$(sed -n 's/^soak-vm: \([^;]*\);.*/\1/p' "$on" | head -n 1)
cmdline() { sed -n 's/^soak-vm: [^;]*; //p' "$logs/$tag-$1.out" | head -n 1; }
kpkeys() { grep -o 'kpkeys: .*' "$logs/$tag-$1.log" | grep -vE "$bad" | head -n 3 || true; }
md() { sed 's/|/\\|/g'; }
{
	echo "# Soak: no false positives from hardened page tables"
	echo
	echo "Written by \`make soak\` (harness/soak.sh), $(date -u '+%Y-%m-%d %H:%M UTC')."
	echo "Kernel ${kver:-unknown}, $ARCH under QEMU TCG \`-cpu max\`, ${SMP:-2} CPUs,"
	echo "${MEM:-2048} MiB, booted twice:"
	echo
	for b in on off; do
		echo "- $b: \`$(cmdline $b)\`; guest run ${took[$b]}s; hardened_pgtables" \
			"${hard[$b]}; kernel log $([ "${hits[$b]}" = 0 ] && echo clean ||
			echo "${hits[$b]} lines match")"
		kpkeys $b | sed 's/^/  - `/; s/$/`/'
	done
	echo
	echo "Kernel logs checked for \`$bad\`."
	echo
	echo "## Soak (hardening on), ${secs}s"
	echo
	echo "| part | result |"
	echo "| --- | --- |"
	sed -nE 's/^soak: ([a-z]+): (ok|FAILED|MISSING|clean)(.*)/\1\t\2\3/p' "$on" | md |
		awk -F'\t' '{ printf "| %s | %s |\n", $1, $2 }'
	echo
	echo "${summary:-The soak did not finish.}"
	echo
	echo "## mm selftests"
	echo
	echo "| test | on | off |"
	echo "| --- | --- | --- |"
	awk -F'\t' '{ printf "| %s | %s (%ss, %s) | %s (%ss, %s) |\n", $1, $2, $3, $4, $5, $6, $7 }' \
		<<<"$table" | sed 's/ (missings, missing)//g'
	echo
	echo "## Differences"
	echo
	if [ -z "$diffs" ]; then
		echo "None: every test has the same result on and off."
	else
		sed 's/^/- /' <<<"$diffs" | md
	fi
	echo
	echo "soak: $pass passed, $fail failed"
} >"$report"

echo "soak: tests whose result differs on and off:"
sed 's/^/  /' <<<"${diffs:-(none)}"
echo "soak: report in ${report#"$TOP"/}"
echo "soak: $pass passed, $fail failed"
[ $fail = 0 ]
