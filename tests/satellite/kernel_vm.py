"""The kernel tier's guests: Debian's own kernel under `qemu-system-x86_64 -accel tcg`, booted on this
host's root (read-only over 9p, a tmpfs overlay on top) so that the depot-satellite built here runs
unchanged inside, with device-mapper, thin pools, snapshots and dm-crypt that this host's kernel lacks.

The VM pieces come from scripts/kernel-tier/build-vm.sh (Debian packages only). A guest reaches
nothing but what the test made: QEMU user networking with `restrict=on` (no route out of the guest)
and one forwarded port on the host's loopback for the satellite. Commands run in the guest through
the shared work directory (scripts/kernel-tier/guest-init.sh).
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
PIECES = Path(os.environ.get("DEPOT_KERNEL_TIER_DIR") or REPO / ".build-kernel-tier")


def vm_pieces() -> Path:
    """The kernel and initramfs, built once; the test is skipped, with the reason, where they cannot be."""
    if shutil.which("qemu-system-x86_64") is None:
        pytest.skip("the kernel tier needs qemu-system-x86_64 (Debian: qemu-system-x86); CI installs it")
    if os.geteuid() != 0:
        pytest.skip("the kernel tier needs root (apt-get download, 9p export of /)")
    done = subprocess.run([str(REPO / "scripts/kernel-tier/build-vm.sh"), str(PIECES)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"the kernel tier's VM could not be built: {done.stderr.strip()[-500:]}")
    return PIECES


class KernelVM:
    """One guest: booted, commands run in it, stopped by the PID of its QEMU."""

    def __init__(self, work: Path, name: str, forward: tuple[str, int], memory_mib: int = 1024):
        self.work = work
        self.name = name
        self.forward = forward
        self.memory_mib = memory_mib
        self.proc: subprocess.Popen | None = None
        self.counter = itertools.count(1)

    def start(self, timeout: float = 240) -> "KernelVM":
        pieces = vm_pieces()
        (self.work / "cmd").mkdir(parents=True, exist_ok=True)
        modules = pieces / "kernel" / "lib" / "modules"
        address, port = self.forward
        append = " ".join([
            "console=ttyS0", "panic=-1", "quiet", "loglevel=4", "net.ifnames=0",
            f"depot.init={REPO / 'scripts/kernel-tier/guest-init.sh'}",
            f"depot.modules={modules}", f"depot.hostname={self.name}"])
        argv = [
            "qemu-system-x86_64", "-accel", "tcg", "-m", str(self.memory_mib), "-smp", "1",
            "-display", "none", "-no-reboot", "-monitor", "none",
            "-serial", f"file:{self.work / 'console.log'}",
            "-kernel", str(pieces / "vmlinuz"), "-initrd", str(pieces / "initramfs.gz"), "-append", append,
            "-virtfs", "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap",
            "-virtfs", f"local,path={self.work},mount_tag=work,security_model=none",
            "-netdev", f"user,id=net0,restrict=on,hostfwd=tcp:{address}:{port}-:{port}",
            "-device", "virtio-net-pci,netdev=net0",
        ]
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=open(self.work / "qemu.log", "ab"), stderr=subprocess.STDOUT)
        deadline = time.time() + timeout
        while not (self.work / "ready").exists():
            if self.proc.poll() is not None or time.time() > deadline:
                raise AssertionError(f"guest {self.name} did not come up\n{self.console()}")
            time.sleep(0.5)
        return self

    def run(self, script: str, timeout: float = 300, check: bool = True) -> tuple[int, str, str]:
        """Runs `script` with bash in the guest; (exit code, stdout, stderr)."""
        base = self.work / "cmd" / f"{next(self.counter):05d}"
        tmp = base.with_suffix(".sh.tmp")
        tmp.write_text(script)
        tmp.rename(base.with_suffix(".sh"))
        deadline = time.time() + timeout
        rc_file = base.with_suffix(".rc")
        while not rc_file.exists():
            if self.proc is None or self.proc.poll() is not None or time.time() > deadline:
                raise AssertionError(f"guest {self.name}: no answer to {script!r}\n{self.console()}")
            time.sleep(0.1)
        rc = int(rc_file.read_text().strip())
        out, err = base.with_suffix(".out").read_text(), base.with_suffix(".err").read_text()
        if check and rc != 0:
            raise AssertionError(f"guest {self.name}: {script!r} exited {rc}\nstdout: {out}\nstderr: {err}")
        return rc, out, err

    def console(self) -> str:
        parts = []
        for name in ["console.log", "guest.log", "satellite.log", "qemu.log"]:
            path = self.work / name
            if path.exists():
                parts.append(f"--- {name} ---\n" + path.read_text(errors="replace")[-6000:])
        return "\n".join(parts)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
