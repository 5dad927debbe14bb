#!/usr/bin/env bash
# Installs what the test suite needs on a Debian machine, skipping what is already there:
# the storage tools the system tests drive for real, SQLite's headers, openssl (test certificates),
# QEMU, busybox-static and cpio for the kernel tier's guests, PostgreSQL's server (the tests run
# their own throwaway one with scripts/postgres-test-server.sh), and python-linstor.
set -euo pipefail

packages=(lvm2 thin-provisioning-tools drbd-utils cryptsetup udev kmod libsqlite3-dev sqlite3 openssl qemu-system-x86 busybox-static cpio systemd systemd-container postgresql)
missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "install-test-deps: run as root to install: ${missing[*]}" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    # Debian's postgresql package would create and start a cluster of its own; the tests need none.
    mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/depot-tests.conf
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! python3 -c 'import linstor, pytest, jsonschema, yaml, sseclient, prometheus_client, schemathesis' 2>/dev/null; then
    python3 -m pip install -q python-linstor pytest jsonschema pyyaml sseclient prometheus-client schemathesis
fi
