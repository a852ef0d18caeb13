# Per-arch data for x86-64. Sourced by harness/lib.sh:load_arch().
KARCH=x86_64
CROSS_COMPILE=
DEB_ARCH=amd64
KIMAGE=arch/x86/boot/bzImage
QEMU_BIN=qemu-system-x86_64
QEMU_MACHINE="-machine q35"
QEMU_CPU_DEFAULT=max
CONSOLE=ttyS0
# EFI=1: Debian's OVMF (package ovmf) and a copy of its variable store.
EFI_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
EFI_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
# LKDTM attacks whose defence is a panic, one boot each: the test, then
# the message the kernel must panic with.
PANIC_ATTACKS=(
	"KPKEYS_FORGE_PGD_POINTER:kpkeys: refusing page-table root"
	"KPKEYS_FORGE_PGD_TABLE:kpkeys: refusing page-table root"
	"KPKEYS_FORGE_THP_DEPOSIT:kpkeys: refusing withdrawn page table"
	"KPKEYS_FORGE_NODE_STATS:kpkeys: violation: .*pkey 1"
	"KPKEYS_FORGE_GATHER:kpkeys: refusing mmu_gather batch"
)
# mm-selftests.sh: the pkey tests' flags, and no selftests of x86's own.
PKEY_CFLAGS="-m64 -mxsave"
ARCH_SELFTESTS=()
MM_SELFTESTS_NOT_BUILT=""
