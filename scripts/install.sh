#!/usr/bin/env bash
# Builds Depot from this checkout and installs it: depot-controller, depot-satellite, depot and
# depot-pki in $PREFIX/bin, their systemd units, sample configs in /etc/depot (existing ones are
# kept) and the state and log directories. scripts/build-deb.sh packages the same files.
#
#   scripts/install.sh                          # release build, installed under /usr/local
#   PREFIX=/usr DESTDIR=/tmp/stage scripts/install.sh
#
# Environment:
#   PREFIX         where bin/ and share/ go (default /usr/local)
#   DESTDIR        staging root prepended to every installed path (default: none, the live system)
#   CONFIGURATION  release (default) or debug
#   SKIP_BUILD=1   install what is already built in $SCRATCH_PATH/$CONFIGURATION instead of building
#   SCRATCH_PATH   SwiftPM's build directory (default .build in this checkout)
#   SYSTEMD_UNIT_DIR  where the units go (default /lib/systemd/system for PREFIX=/usr,
#                  else $PREFIX/lib/systemd/system)
#   STRIP=1        strip debug information from the installed binaries (symbols stay)
set -euo pipefail
umask 022

repo="$(cd "$(dirname "$0")/.." && pwd)"
prefix="${PREFIX:-/usr/local}"
destdir="${DESTDIR:-}"
configuration="${CONFIGURATION:-release}"
skip_build="${SKIP_BUILD:-0}"
scratch_path="${SCRATCH_PATH:-$repo/.build}"
strip_binaries="${STRIP:-0}"
binaries=(depot-controller depot-satellite depot depot-pki)

fail() {
    echo "install.sh: $*" >&2
    exit 1
}

case "$configuration" in
    release | debug) ;;
    *) fail "CONFIGURATION must be release or debug, not '$configuration'" ;;
esac
# PREFIX ends up in unit files through sed: only plain absolute paths.
[[ "$prefix" =~ ^/[A-Za-z0-9._/+-]*$ ]] || fail "PREFIX must be an absolute path of letters, digits and ._/+- (got '$prefix')"
prefix="${prefix%/}"
[ -n "$prefix" ] || prefix=/usr
if [ -n "$destdir" ]; then
    [[ "$destdir" == /* ]] || fail "DESTDIR must be an absolute path (got '$destdir')"
    destdir="${destdir%/}"
fi
[[ "$scratch_path" == /* ]] || scratch_path="$PWD/$scratch_path"
if [ -n "${SYSTEMD_UNIT_DIR:-}" ]; then
    unit_dir="$SYSTEMD_UNIT_DIR"
elif [ "$prefix" = /usr ]; then
    unit_dir=/lib/systemd/system
else
    unit_dir="$prefix/lib/systemd/system"
fi
[[ "$unit_dir" == /* ]] || fail "SYSTEMD_UNIT_DIR must be an absolute path (got '$unit_dir')"

if [ "$skip_build" != 1 ]; then
    if [ "$configuration" = release ] && ! compgen -G '/usr/lib/*/libcurl.so' >/dev/null && [ ! -e /usr/lib/libcurl.so ]; then
        # depot's client uses URLSession: a static Foundation links libcurl, whose -dev package has libcurl.so.
        fail "a release build needs libcurl's development files: apt-get install libcurl4-openssl-dev"
    fi
    build_flags=(-c "$configuration" --scratch-path "$scratch_path")
    # A release install must not depend on the Swift toolchain being on the machine.
    if [ "$configuration" = release ]; then
        build_flags+=(--static-swift-stdlib)
    fi
    for product in "${binaries[@]}"; do
        echo "install.sh: swift build ${build_flags[*]} --product $product"
        (cd "$repo" && swift build "${build_flags[@]}" --product "$product")
    done
fi
bin_path="$scratch_path/$configuration"
for binary in "${binaries[@]}"; do
    [ -x "$bin_path/$binary" ] || fail "$bin_path/$binary is missing: build it (or run without SKIP_BUILD=1)"
done

root="$destdir"
install -d -m 0755 "$root$prefix/bin" "$root$unit_dir" "$root$prefix/share/doc/depot"
for binary in "${binaries[@]}"; do
    install -m 0755 "$bin_path/$binary" "$root$prefix/bin/$binary"
    if [ "$strip_binaries" = 1 ]; then
        strip --strip-debug "$root$prefix/bin/$binary"
    fi
done

# The units name /usr/bin in the source tree; point ExecStart at this PREFIX.
for unit in depot-controller.service depot-satellite.service; do
    sed -e "s|^ExecStart=/usr/bin/|ExecStart=$prefix/bin/|" "$repo/packaging/systemd/$unit" >"$root$unit_dir/$unit.tmp"
    chmod 0644 "$root$unit_dir/$unit.tmp"
    mv -f "$root$unit_dir/$unit.tmp" "$root$unit_dir/$unit"
done

# Sample configs: an admin's edited file is never replaced. The controller's may hold the master
# passphrase ([encrypt]), so only root reads it.
install -d -m 0755 "$root/etc/depot"
for config in depot-controller.toml:0600 depot-satellite.toml:0644; do
    name="${config%%:*}"
    mode="${config##*:}"
    if [ -e "$root/etc/depot/$name" ]; then
        echo "install.sh: kept the existing /etc/depot/$name (the sample is $repo/packaging/etc/depot/$name)"
    else
        install -m "$mode" "$repo/packaging/etc/depot/$name" "$root/etc/depot/$name"
    fi
done

# The controller's database lives in /var/lib/depot (sealed volume passphrases: root only).
install -d -m 0700 "$root/var/lib/depot"
install -d -m 0750 "$root/var/log/depot"
install -m 0644 "$repo/README.md" "$root$prefix/share/doc/depot/README.md"

echo "install.sh: installed ${binaries[*]} into $root$prefix/bin, units into $root$unit_dir, configs into $root/etc/depot"
if [ -z "$destdir" ]; then
    if [ -d /run/systemd/system ]; then
        systemctl daemon-reload
    fi
    case "$unit_dir" in
        /lib/systemd/system | /usr/lib/systemd/system | /usr/local/lib/systemd/system | /etc/systemd/system) ;;
        *) echo "install.sh: note: systemd does not look in $unit_dir; link the units into /etc/systemd/system" >&2 ;;
    esac
    echo "install.sh: start with: systemctl enable --now depot-controller (and/or depot-satellite)"
fi
