# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the kpkeys harness scripts. Sourced, never run.

set -euo pipefail
# A failure inside $(...) fails the script too.
shopt -s inherit_errexit

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$TOP/build
TREE=$BUILD/linux
CACHE=${KPKEYS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kpkeys}
PATCHES=$TOP/patches
BASE_TAG=kpkeys-base
AUTHOR_NAME="kpkeys developers"
AUTHOR_EMAIL="kpkeys@localhost"

# panic_attacks ARCH: the LKDTM attacks whose defence is a panic, one per
# line as "TEST:the message the kernel must panic with" (PANIC_ATTACKS in
# harness/arch/ARCH.sh).
panic_attacks() {
	(load_arch "$1" && printf '%s\n' "${PANIC_ATTACKS[@]}")
}

# The same, for the x86-64 layouts flavour booted through EFI firmware.
EFI_PANIC_ATTACKS=(
	"KPKEYS_FORGE_EFI_ROOT:kpkeys: refusing page-table root"
)

# panic_attack ARCH ENTRY: boot and run one panic_attacks entry.
panic_attack() {
	APPEND="oops=panic ${APPEND:-}" "$TOP/harness/expect-panic.sh" "$1" "${2#*:}" \
		"echo ${2%%:*} > /sys/kernel/debug/provoke-crash/DIRECT"
}

# efi_panic_attack ENTRY: one EFI_PANIC_ATTACKS entry.
efi_panic_attack() {
	EFI=1 PANIC_FLAVOUR=layouts panic_attack x86_64 "$1"
}

# icount_setup TIMEOUT: the counting method of make icount and make bench:
# QEMU TCG -icount shift=0 (guest time = instructions), 1 vCPU,
# -cpu max,-erms, and a guest command line without layout randomisation
# ($ICOUNT_APPEND). TIMEOUT is the per-boot default.
icount_setup() {
	export QEMU_CPU=${QEMU_CPU:-max,-erms} SMP=1 TCG_THREAD=single
	export QEMU_EXTRA="-icount shift=0,sleep=off" TIMEOUT=${TIMEOUT:-$1}
	ICOUNT_APPEND="nokaslr norandmaps clocksource=tsc tsc=reliable kunit.enable=0"
}

# Kernel log lines that fail a KUnit run whatever its tests say.
KERNEL_TROUBLE='WARNING: CPU|BUG: |Internal error: |Oops|kpkeys: refusing to free|possible recursive locking|circular locking'

# Bad input, a missing prerequisite or a hung VM: one line, exit 2.
die() {
	printf '%s: error: %s\n' "$(basename "$0" .sh)" "$*" >&2
	exit 2
}

warn() {
	printf '%s: warning: %s\n' "$(basename "$0" .sh)" "$*" >&2
}

info() {
	printf '%s\n' "$*"
}

# Load the per-arch data file; everything arch-specific lives there.
load_arch() {
	ARCH=${1:-x86_64}
	local f=$TOP/harness/arch/$ARCH.sh
	[ -f "$f" ] || die "unknown ARCH '$ARCH' (known: $(cd "$TOP/harness/arch" && ls | sed 's/\.sh$//' | xargs))"
	# shellcheck source=/dev/null
	. "$f"
}

check_flavour() {
	FLAVOUR=${1:-default}
	[ -f "$TOP/configs/flavour/$FLAVOUR.config" ] ||
		die "unknown FLAVOUR '$FLAVOUR' (known: $(cd "$TOP/configs/flavour" && ls | sed 's/\.config$//' | xargs))"
}

out_dir() {
	echo "$BUILD/out-$ARCH-$FLAVOUR${BASE:+-base}"
}

# BASE=1: build and boot the base tree, without the series (make bench).
base_tree() {
	[ -z "${BASE:-}" ] || TREE=$("$TOP/harness/base.sh") || die "no base tree"
}

# The series, one patch file name a line, comments and blanks dropped.
series() {
	[ -f "$PATCHES/series" ] || return 0
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$PATCHES/series"
}

tgit() {
	git -C "$TREE" "$@"
}
