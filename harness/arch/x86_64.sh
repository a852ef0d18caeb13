# Per-arch data for x86-64. Sourced by harness/lib.sh:load_arch().
KARCH=x86_64
CROSS_COMPILE=
DEB_ARCH=amd64
KIMAGE=arch/x86/boot/bzImage
QEMU_BIN=qemu-system-x86_64
QEMU_MACHINE="-machine q35"
QEMU_CPU_DEFAULT=max
CONSOLE=ttyS0
