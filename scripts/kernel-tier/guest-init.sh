#!/bin/bash
# PID 1 of a kernel-tier guest (the host's root, read-only, under a tmpfs overlay; see build-vm.sh).
# Mounts what a Linux userland needs, loads the guest kernel's modules for device-mapper and loop,
# starts udev and the network, and then runs the commands the host test puts into the shared work
# directory (9p tag "work"): each `cmd/N.sh` once, its stdout, stderr and exit code written beside
# it as N.out, N.err and N.rc. The host never reaches into the guest otherwise.
#
# Kernel command line: depot.modules=DIR (the unpacked guest modules, a host path),
# depot.hostname=NAME.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
for dir in /run /tmp /var/lock /var/lib/drbd /etc/lvm/backup /etc/lvm/archive; do
    mkdir -p "$dir"
done
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mkdir -p /run/lock /run/lvm /run/udev

modules="" hostname="guest"
for word in $(cat /proc/cmdline); do
    case "$word" in
        depot.modules=*) modules="${word#depot.modules=}" ;;
        depot.hostname=*) hostname="${word#depot.hostname=}" ;;
    esac
done
hostname "$hostname"
mkdir -p /depot-work
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 work /depot-work
log=/depot-work/guest.log
exec >>"$log" 2>&1
echo "guest-init: $(uname -r) as $hostname"

mkdir -p /lib/modules
mount --bind "$modules" /lib/modules
for module in loop dm_mod dm_thin_pool dm_snapshot dm_crypt virtio_net; do
    modprobe "$module" || echo "guest-init: modprobe $module failed"
done

udevd=""
for candidate in /lib/systemd/systemd-udevd /usr/lib/systemd/systemd-udevd /sbin/udevd; do
    [ -x "$candidate" ] && udevd="$candidate" && break
done
if [ -n "$udevd" ]; then
    "$udevd" --daemon
    udevadm trigger --action=add
    udevadm settle --timeout=30
else
    echo "guest-init: no udevd found"
fi

# QEMU's user network: the one virtio NIC, whatever udev named it. 10.0.2.15 is the guest's address
# inside QEMU's own user-mode network stack (QEMU's default for its guest), on no host interface:
# the host only ever connects to its forwarded port on 127.0.0.1, and restrict=on keeps the guest
# from sending anywhere else.
ip link set lo up
nic=""
for _ in $(seq 1 100); do
    nic="$(ls /sys/class/net | grep -v '^lo$' | head -1)"
    [ -n "$nic" ] && break
    sleep 0.1
done
ip link set "$nic" up
ip addr add 10.0.2.15/24 dev "$nic"

mkdir -p /depot-work/cmd
echo "$(uname -r)" > /depot-work/ready
while true; do
    for command in /depot-work/cmd/*.sh; do
        [ -e "$command" ] || continue
        base="${command%.sh}"
        [ -e "$base.rc" ] && continue
        bash "$command" >"$base.out.tmp" 2>"$base.err.tmp" </dev/null
        rc=$?
        mv "$base.out.tmp" "$base.out"
        mv "$base.err.tmp" "$base.err"
        echo "$rc" > "$base.rc.tmp" && mv "$base.rc.tmp" "$base.rc"
    done
    sleep 0.1
done
