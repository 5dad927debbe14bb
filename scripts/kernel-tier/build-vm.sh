#!/usr/bin/env bash
# Builds what the kernel tier boots, from Debian's packages only: Debian's kernel (downloaded with
# `apt-get download` and unpacked, never installed on this host), its modules, and a small initramfs
# (busybox-static) that mounts this host's root read-only over 9p under a tmpfs overlay and hands over
# to scripts/kernel-tier/guest-init.sh. Everything lands in one directory (default
# .build-kernel-tier/ in the checkout); a second run reuses what is there.
#
#   scripts/kernel-tier/build-vm.sh [DIR]
#
# Needs root (apt-get), and the packages qemu-system-x86, busybox-static, cpio and kmod
# (scripts/install-test-deps.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/../.."
out="$(realpath -m "${1:-.build-kernel-tier}")"
mkdir -p "$out"

for tool in cpio depmod gzip dpkg-deb apt-get; do
    command -v "$tool" >/dev/null || { echo "build-vm: '$tool' is missing (install busybox-static, cpio, kmod)" >&2; exit 2; }
done
# The initramfs has no libraries: only busybox-static's busybox runs there.
dpkg -s busybox-static >/dev/null 2>&1 || { echo "build-vm: busybox-static is needed (the initramfs has no libraries)" >&2; exit 2; }
busybox_binary=/bin/busybox

# The kernel: linux-image-amd64 names the current linux-image-<version>-amd64.
if [ ! -f "$out/kernel.version" ]; then
    work="$(mktemp -d "$out/download.XXXXXX")"
    (cd "$work" && apt-get download linux-image-amd64 >/dev/null 2>&1)
    image_package="$(dpkg-deb -f "$work"/linux-image-amd64_*.deb Depends | tr ',' '\n' | grep -o 'linux-image-[0-9][^ ]*' | head -1)"
    (cd "$work" && apt-get download "$image_package" >/dev/null 2>&1)
    rm -rf "$out/kernel"
    dpkg-deb -x "$work/${image_package}"_*.deb "$out/kernel"
    rm -rf "$work"
    version="$(ls "$out/kernel/lib/modules")"
    depmod -b "$out/kernel" "$version"
    echo "$version" > "$out/kernel.version"
fi
version="$(cat "$out/kernel.version")"
modules="$out/kernel/lib/modules/$version"
ln -sf "kernel/boot/vmlinuz-$version" "$out/vmlinuz"

# The initramfs: busybox, the modules that reach the host's root (virtio, 9p, overlay), and /init.
root="$(mktemp -d "$out/initramfs.XXXXXX")"
mkdir -p "$root/bin" "$root/modules" "$root/proc" "$root/sys" "$root/dev" "$root/lower" "$root/rw" "$root/newroot"
cp "$busybox_binary" "$root/bin/busybox"
# In load order (each after what it needs, as modules.dep of this kernel says); /init reads the order.
for module in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p overlay; do
    path="$(grep -E "/${module//_/[_-]}\.ko(\.[a-z]+)?:" "$modules/modules.dep" | cut -d: -f1)"
    [ -n "$path" ] || { echo "build-vm: module $module not found in $version" >&2; exit 2; }
    cp "$modules/$path" "$root/modules/$module.ko"
    echo "$module" >> "$root/modules/order"
done
cp scripts/kernel-tier/initramfs-init.sh "$root/init"
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out/initramfs.gz.tmp"
mv "$out/initramfs.gz.tmp" "$out/initramfs.gz"
rm -rf "$root"
echo "$out"
