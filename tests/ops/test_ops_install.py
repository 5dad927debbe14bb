"""scripts/install.sh, the systemd units and the sample configs, checked in a staging directory.

`systemd-analyze verify` needs each ExecStart binary to exist, so the units are verified as copies
whose ExecStart points at the staged binaries; the package test verifies the installed units at
their real paths.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import stat
from pathlib import Path

import pytest

from .ops_support import BINARIES, REPO, UNITS, accepted_keys, run, sample_keys, script_env, unit_settings


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def systemd_analyze() -> str:
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip("systemd-analyze is missing (apt-get install systemd; scripts/install-test-deps.sh does)")
    return tool


def test_package_layout_puts_binaries_units_configs_and_directories_in_place(staged):
    for name in BINARIES:
        assert os.access(staged / "usr/bin" / name, os.X_OK), name
    assert not (staged / "usr/bin/depot-bench").exists(), "depot-bench is a development tool, not installed"
    for unit in UNITS:
        assert (staged / "lib/systemd/system" / unit).is_file(), unit
    assert mode(staged / "etc/depot/depot-controller.toml") == 0o600, "may hold the master passphrase"
    assert mode(staged / "etc/depot/depot-satellite.toml") == 0o644
    assert mode(staged / "var/lib/depot") == 0o700
    assert (staged / "var/log/depot").is_dir()
    assert (staged / "usr/share/doc/depot/README.md").is_file()


def test_units_start_the_daemons_with_their_config_files(staged):
    controller = unit_settings(staged / "lib/systemd/system/depot-controller.service")
    satellite = unit_settings(staged / "lib/systemd/system/depot-satellite.service")
    assert controller["ExecStart"] == ["/usr/bin/depot-controller --config /etc/depot/depot-controller.toml"]
    assert satellite["ExecStart"] == ["/usr/bin/depot-satellite --config /etc/depot/depot-satellite.toml"]
    for settings in (controller, satellite):
        assert settings["Type"] == ["exec"], "the daemons do not notify systemd"
        assert settings["Restart"] == ["on-failure"]


def test_units_pass_systemd_analyze_verify(staged, workdir):
    tool = systemd_analyze()
    for unit in UNITS:
        text = (staged / "lib/systemd/system" / unit).read_text()
        pointed = re.sub(r"^ExecStart=/usr/bin/", f"ExecStart={staged}/usr/bin/", text, flags=re.M)
        assert pointed != text, f"{unit} has no ExecStart in /usr/bin"
        (workdir / unit).write_text(pointed)
    done = run([tool, "verify", *(str(workdir / unit) for unit in UNITS)], check=False, timeout=60)
    assert done.returncode == 0 and done.stderr.strip() == "", f"systemd-analyze verify: {done.returncode}\n{done.stderr}"


def test_controller_unit_is_confined_and_satellite_unit_keeps_what_storage_needs(staged):
    controller = unit_settings(staged / "lib/systemd/system/depot-controller.service")
    assert controller["ProtectSystem"] == ["strict"]
    assert controller["StateDirectory"] == ["depot"], "the only writable directory besides /var/log/depot"
    assert controller["CapabilityBoundingSet"] == [""]
    for setting in ("PrivateTmp", "PrivateDevices", "ProtectHome", "NoNewPrivileges"):
        assert controller[setting] == ["yes"], setting

    satellite = unit_settings(staged / "lib/systemd/system/depot-satellite.service")
    # Each of these would break the storage tools (README, "Install and run as a service").
    for breaking in ("PrivateDevices", "DevicePolicy", "DeviceAllow", "ProtectClock", "ProtectKernelModules",
                     "ProtectKernelTunables", "CapabilityBoundingSet", "SystemCallFilter", "PrivateTmp", "ProtectHome"):
        assert breaking not in satellite, f"{breaking} in depot-satellite.service would break storage"
    assert satellite["ProtectSystem"] == ["full"]
    assert satellite["KillMode"] == ["mixed"]


def test_controller_unit_exposure_is_low(staged):
    tool = systemd_analyze()
    done = run([tool, "security", "--offline=yes", f"--root={staged}", "depot-controller.service"], check=False, timeout=60)
    match = re.search(r"Overall exposure level for depot-controller\.service: ([0-9.]+)", done.stdout)
    assert match, f"no exposure level in: {done.stdout[-2000:]} {done.stderr}"
    assert float(match.group(1)) <= 2.5, done.stdout


@pytest.mark.parametrize("daemon,config", [("depot-controller", "depot-controller.toml"), ("depot-satellite", "depot-satellite.toml")])
def test_sample_config_names_exactly_the_keys_the_daemon_accepts(staged, workdir, daemon, config):
    binary = staged / "usr/bin" / daemon
    documented = sample_keys(REPO / "packaging/etc/depot" / config)
    keys, tables = accepted_keys(binary, workdir)
    assert documented[""] == keys, f"{config}: documented {sorted(documented[''])}, {daemon} accepts {sorted(keys)}"
    assert set(documented) - {""} == tables
    for table in tables:
        table_keys, _ = accepted_keys(binary, workdir, table)
        assert documented[table] == table_keys, f"[{table}] in {config}"


@pytest.mark.parametrize("daemon,config", [("depot-controller", "depot-controller.toml"), ("depot-satellite", "depot-satellite.toml")])
def test_sample_config_as_shipped_is_read_without_error(staged, workdir, daemon, config):
    # A port already taken stops the daemon once it has read its configuration: a configuration
    # error exits 2 before anything starts, a taken port 1.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        flag = "--rest-bind" if daemon == "depot-controller" else "--bind"
        extra = ["--data-dir", str(workdir / "data")] if daemon == "depot-controller" else [
            "--state-dir", str(workdir / "state"), "--drbd-config-dir", str(workdir / "drbd"), "--drbd-system-include", "none"]
        done = run([str(staged / "usr/bin" / daemon), "--config", str(staged / "etc/depot" / config), flag, f"127.0.0.1:{port}", *extra],
                   check=False, timeout=60)
    assert done.returncode == 1 and f"{daemon} cannot run" in done.stderr, f"{daemon} exited {done.returncode}: {done.stderr[-2000:]}"


def test_checkout_install_uses_prefix_and_keeps_an_edited_config(built, workdir):
    root = workdir / "root"
    env = script_env(PREFIX="/usr/local", DESTDIR=str(root))
    run([str(REPO / "scripts/install.sh")], env=env)
    unit = unit_settings(root / "usr/local/lib/systemd/system/depot-controller.service")
    assert unit["ExecStart"] == ["/usr/local/bin/depot-controller --config /etc/depot/depot-controller.toml"]
    assert os.access(root / "usr/local/bin/depot-satellite", os.X_OK)
    edited = root / "etc/depot/depot-satellite.toml"
    edited.write_text('bind = "127.0.0.1:3366"\n')

    second = run([str(REPO / "scripts/install.sh")], env=env)
    assert edited.read_text() == 'bind = "127.0.0.1:3366"\n'
    assert "kept the existing /etc/depot/depot-satellite.toml" in second.stdout


def test_install_refuses_a_relative_prefix_and_an_unknown_configuration(workdir):
    for env in ({"PREFIX": "usr"}, {"CONFIGURATION": "fast"}):
        done = run([str(REPO / "scripts/install.sh")], env=script_env(DESTDIR=str(workdir), **env), check=False)
        assert done.returncode != 0, env
        assert "install.sh:" in done.stderr
    assert not (workdir / "etc").exists(), "nothing installed after a refusal"
