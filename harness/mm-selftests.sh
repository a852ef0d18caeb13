#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mm-selftests.sh [ARCH]: build a subset of the base tree's mm selftests
# (build/linux/tools/testing/selftests/mm), and the architecture's own
# selftests that its ARCH_SELFTESTS names, static with glibc only, for
# the ARCH guest (x86_64 by default). Output, for vm.sh's EXTRA_DIR:
#
#   build/mm-selftests-ARCH/root/selftests/mm/NAME   the test programs
#   build/mm-selftests-ARCH/root/selftests/mm/tests  what vm/mm-selftests runs
#
# The UAPI headers come from the tree's headers_install into
# build/mm-selftests-ARCH/hdr/, never into the tree. Prints the root
# directory.

. "$(dirname "$0")/lib.sh"

load_arch "${1:-x86_64}"
selftests=$TREE/tools/testing/selftests
src=$selftests/mm
dst=$BUILD/mm-selftests-$ARCH
bin=$dst/root/selftests/mm
hdr=$dst/hdr

# NAME TIMEOUT NEEDS PROGRAM [ARGS]: what the guest runs, in this order.
# TIMEOUT in seconds: a few times what a run took under QEMU TCG (110 s
# at most, split_huge_page_test), more for tests that skipped there. NEEDS is a guest path without which the test cannot run (it is
# then a skip), or '-'; khugepaged's anon cases swap (vm/ramswap). Left out: tests that need libcap or libnuma
# (mlock-random-test, memfd_secret, migration, ksm_tests), a non-root
# user (on-fault-limit), 1 GiB huge pages and SysV shm (thuge-gen),
# 5-level paging (va_high_addr_switch), and khugepaged's timing-dependent
# khugepaged-context cases (they time out under TCG).
tests=(
	"mremap_test 120 - mremap_test"
	"mremap_dontunmap 60 - mremap_dontunmap"
	"map_fixed_noreplace 60 - map_fixed_noreplace"
	"map_populate 60 /proc/net/unix map_populate"
	"mlock2-tests 60 - mlock2-tests"
	"madv_populate 60 - madv_populate"
	"mkdirty 60 - mkdirty"
	"soft-dirty 300 - soft-dirty"
	"mdwe_test 60 - mdwe_test"
	"mseal_test 60 - mseal_test"
	"seal_elf 60 - seal_elf"
	"droppable 60 - droppable"
	"mrelease_test 60 - mrelease_test"
	"transhuge-stress 120 - transhuge-stress -d 20"
	"split_huge_page_test 400 - split_huge_page_test"
	"khugepaged-anon 180 /dev/ram0 khugepaged madvise:anon"
	"khugepaged-shmem 180 - khugepaged madvise:shmem"
	"virtual_address_range 120 - virtual_address_range"
	"pagemap_ioctl 300 - pagemap_ioctl"
	"cow 300 - cow"
	"ksm_functional_tests 300 - ksm_functional_tests"
	"uffd-unit-tests 600 - uffd-unit-tests"
	"gup_test-u 60 - gup_test -u"
	"gup_test-a 60 - gup_test -a"
	"gup_longterm 300 - gup_longterm"
	"compaction_test 300 /proc/sys/vm/nr_hugepages compaction_test"
	"protection_keys 300 /proc/sys/vm/nr_hugepages protection_keys"
	"pkey_sighandler_tests 60 - pkey_sighandler_tests"
)

# The architecture's own: NAME TIMEOUT NEEDS PROGRAM DIR SOURCES..., DIR
# under tools/testing/selftests; run like the others.
tests+=("${ARCH_SELFTESTS[@]}")

[ -d "$src" ] || die "no mm selftests at ${src#"$TOP"/}: run 'make tree'"
mkdir -p "$bin" "$hdr/local"
make -s -C "$TREE" O="$hdr/obj" ARCH="$KARCH" INSTALL_HDR_PATH="$hdr/usr" \
	headers_install >/dev/null || die "headers_install failed"
# What check_config.sh would write into the tree: no liburing.
echo '// No liburing support found' >"$hdr/local/local_config.h"

cflags=(-static -O2 -Wall -U_FORTIFY_SOURCE -I "$TREE" -I "$hdr/local"
	-isystem "$hdr/usr/include" -isystem "$TREE/tools/include/uapi")
: >"$bin/tests.new"
for t in "${tests[@]}"; do
	read -r name secs needs prog dir more <<<"$t"
	[[ " ${MM_SELFTESTS_NOT_BUILT:-} " != *" $name "* ]] || continue
	if [ -n "$dir" ] && [ -d "$selftests/$dir" ]; then
		# An ARCH_SELFTESTS entry: the guest's list ends at PROGRAM.
		echo "$name $secs $needs $prog" >>"$bin/tests.new"
		srcdir=$selftests/$dir
		read -r -a srcs <<<"$more"
		extra=(-D_GNU_SOURCE -I "$srcdir" -I "$selftests" -I "$TREE/tools/include")
	else
		echo "$t" >>"$bin/tests.new"
		srcdir=$src
		srcs=("$prog.c" vm_util.c thp_settings.c)
		extra=()
		case $prog in
		uffd-*) srcs+=(uffd-common.c) ;;
		protection_keys | pkey_sighandler_tests) extra=($PKEY_CFLAGS) ;;
		khugepaged) extra=(-DKSFT_SKIP=4) ;;	# 6.12 misses kselftest.h there
		esac
	fi
	[ -z "$(find "$srcdir" -name '*.[chS]' -newer "$bin/$prog" 2>/dev/null)" ] &&
		[ -x "$bin/$prog" ] && continue
	# In the source directory, as its Makefile does: __FILE__ names
	# files relative to the guest's working directory (gup_longterm).
	(cd "$srcdir" && "${CROSS_COMPILE}gcc" "${cflags[@]}" "${extra[@]}" \
		-o "$bin/$prog" "${srcs[@]}" -lrt -lpthread -lm) >"$dst/$prog.log" 2>&1 ||
		die "could not build $prog; see ${dst#"$TOP"/}/$prog.log"
done
mv "$bin/tests.new" "$bin/tests"
# Programs dropped from the list since the last build.
progs=" $(awk '{ print $4 }' "$bin/tests" | xargs) tests "
for f in "$bin"/*; do
	[[ $progs == *" ${f##*/} "* ]] || rm -f "$f"
done
echo "$dst/root"
