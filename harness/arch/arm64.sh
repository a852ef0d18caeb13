# Per-arch data for arm64. Sourced by harness/lib.sh:load_arch().
KARCH=arm64
CROSS_COMPILE=aarch64-linux-gnu-
DEB_ARCH=arm64
KIMAGE=arch/arm64/boot/Image
QEMU_BIN=qemu-system-aarch64
QEMU_MACHINE="-machine virt"
QEMU_CPU_DEFAULT=max
CONSOLE=ttyAMA0
