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
