#!/bin/busybox sh
# /init of the kernel tier's initramfs: the host's root, read-only over 9p (tag "hostroot"), under a
# tmpfs overlay becomes the guest's root; then the guest init named on the kernel command line
# (depot.init=PATH) runs as PID 1. Written into the initramfs by build-vm.sh.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for module in $(cat /modules/order); do
    insmod "/modules/$module.ko" || echo "initramfs: insmod $module failed"
done
guest_init=""
for word in $(cat /proc/cmdline); do
    case "$word" in depot.init=*) guest_init="${word#depot.init=}" ;; esac
done
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose hostroot /lower || { echo "initramfs: 9p mount failed"; poweroff -f; }
mount -t tmpfs -o size=75% tmpfs /rw
mkdir -p /rw/upper /rw/work
mount -t overlay overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work /newroot || { echo "initramfs: overlay failed"; poweroff -f; }
umount /proc /sys
umount /dev
exec switch_root /newroot "$guest_init"
