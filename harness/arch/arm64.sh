# Per-arch data for arm64. Sourced by harness/lib.sh:load_arch().
KARCH=arm64
CROSS_COMPILE=aarch64-linux-gnu-
DEB_ARCH=arm64
KIMAGE=arch/arm64/boot/Image
QEMU_BIN=qemu-system-aarch64
QEMU_MACHINE="-machine virt"
QEMU_CPU_DEFAULT=max
CONSOLE=ttyAMA0
# QEMU with FEAT_S1POE: ours, built by harness/qemu.sh (no QEMU release
# has it); QEMU=... overrides.
QEMU_BUILD=qemu.sh
# As PANIC_ATTACKS in x86_64.sh, but the node statistics, which need NUMA
# (the arm64 config leaves it out).
PANIC_ATTACKS=(
	"KPKEYS_FORGE_PGD_POINTER:kpkeys: refusing page-table root"
	"KPKEYS_FORGE_PGD_TABLE:kpkeys: refusing page-table root"
	"KPKEYS_FORGE_THP_DEPOSIT:kpkeys: refusing withdrawn page table"
	"KPKEYS_FORGE_GATHER:kpkeys: refusing mmu_gather batch"
)
# mm-selftests.sh: the pkey tests' flags, and arm64's own POE selftests
# (NAME TIMEOUT NEEDS PROGRAM DIR SOURCES...): the signal frame's POE
# record, and the hwcap and cpuinfo check with POR_EL0 access.
PKEY_CFLAGS=""
ARCH_SELFTESTS=(
	"poe_siginfo 60 - poe_siginfo arm64/signal testcases/poe_siginfo.c test_signals.c test_signals_utils.c testcases/testcases.c signals.S sve_helpers.c"
	"hwcap 120 - hwcap arm64/abi hwcap.c"
)
# The mm selftests that the tree's mm Makefile does not build for arm64:
# soft-dirty (no soft-dirty bit), and pkey_sighandler_tests, which in
# 6.12 is x86 only (its syscall_raw() is an #error elsewhere).
MM_SELFTESTS_NOT_BUILT="soft-dirty pkey_sighandler_tests"
