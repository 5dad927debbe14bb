#!/usr/bin/env bash
# Builds the Debian package depot_<version>_<arch>.deb with dpkg-deb from what scripts/install.sh
# installs (PREFIX=/usr into a staging DESTDIR): the binaries, the systemd units, the sample configs
# in /etc/depot (conffiles), /var/lib/depot and /var/log/depot. Install it with
#   apt install ./depot_<version>_<arch>.deb
#
# Environment:
#   OUTPUT_DIR        where the .deb goes (default .build-deb in this checkout)
#   CONFIGURATION     release (default; built with --static-swift-stdlib) or debug (for tests: the
#                     version gets "~debug", and the binaries need this machine's Swift toolchain)
#   SKIP_BUILD=1      package what is already built (see scripts/install.sh), SCRATCH_PATH likewise
#   STRIP=0           keep the binaries' debug information (default: stripped, symbols kept)
#   DEB_COMPRESSION   dpkg-deb's compressor: xz (default), gzip, zstd or none
#   DEB_MAINTAINER    the Maintainer field
set -euo pipefail
umask 022

repo="$(cd "$(dirname "$0")/.." && pwd)"
output_dir="${OUTPUT_DIR:-$repo/.build-deb}"
configuration="${CONFIGURATION:-release}"
compression="${DEB_COMPRESSION:-xz}"
maintainer="${DEB_MAINTAINER:-Depot developers <depot@localhost>}"

fail() {
    echo "build-deb.sh: $*" >&2
    exit 1
}

for tool in dpkg-deb dpkg-query ldd md5sum; do
    command -v "$tool" >/dev/null || fail "needs $tool"
done
case "$compression" in
    xz | gzip | zstd | none) ;;
    *) fail "DEB_COMPRESSION must be xz, gzip, zstd or none, not '$compression'" ;;
esac

# The version has one home: DepotController.version.
version_file="$repo/Sources/DepotController/DepotController.swift"
version="$(sed -n 's/^ *public static let version = "\([^"]*\)".*/\1/p' "$version_file")"
[[ "$version" =~ ^[0-9][A-Za-z0-9.+~-]*$ ]] || fail "cannot read the version from $version_file (got '$version')"
case "$configuration" in
    release) ;;
    # Sorts before the release of the same version, so the real package replaces it.
    debug) version="$version~debug" ;;
    *) fail "CONFIGURATION must be release or debug, not '$configuration'" ;;
esac
arch="$(dpkg --print-architecture)"

stage="$(mktemp -d "${TMPDIR:-/tmp}/depot-deb.XXXXXX")"
trap 'rm -rf -- "$stage"' EXIT
root="$stage/root"
install -d -m 0755 "$root"

CONFIGURATION="$configuration" PREFIX=/usr DESTDIR="$root" STRIP="${STRIP:-1}" SYSTEMD_UNIT_DIR=/lib/systemd/system \
    "$repo/scripts/install.sh"

# Depends: the packages that own the shared libraries the binaries load. A library no package owns
# (the Swift runtime of a toolchain) makes a release package useless elsewhere: refused.
declare -A depends=()
unowned=()
owner_of() {
    local path="$1" candidate owner
    for candidate in "$path" "$(readlink -f "$path")" "${path#/usr}" "/usr$path"; do
        owner="$(dpkg-query -S "$candidate" 2>/dev/null | grep -v '^diversion ' | sed -n 's/^\([^:,]*\)[:,].*: \/.*/\1/p' | head -n 1)" || true
        if [ -n "$owner" ]; then
            echo "$owner"
            return 0
        fi
    done
    return 1
}
# The libraries a binary names itself (NEEDED), as ldd resolves them; what those load in turn comes
# with their packages' own Depends. Without readelf, everything ldd lists.
needed_libraries() {
    local binary="$1" listing names
    listing="$(ldd "$binary")"
    if command -v readelf >/dev/null; then
        names="$(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')"
        awk -v names="$names" 'BEGIN { split(names, list, "\n"); for (i in list) wanted[list[i]] = 1 }
            $2 == "=>" && $3 ~ /^\// && ($1 in wanted) { print $3 }' <<<"$listing"
    else
        awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' <<<"$listing"
    fi
}
for binary in "$root/usr/bin/"*; do
    if ldd "$binary" | grep -q 'not found'; then
        fail "$binary needs libraries that are not found: $(ldd "$binary" | grep 'not found' | tr -s ' \t\n' ' ')"
    fi
done
while read -r library; do
    if package="$(owner_of "$library")"; then
        depends["$package"]=1
    else
        unowned+=("$library")
    fi
done < <(for binary in "$root/usr/bin/"*; do needed_libraries "$binary"; done | sort -u)
if [ ${#unowned[@]} -gt 0 ]; then
    list="$(printf '%s\n' "${unowned[@]}" | sort -u | tr '\n' ' ')"
    if [ "$configuration" = release ]; then
        fail "the binaries load libraries no Debian package provides: $list(build with --static-swift-stdlib)"
    fi
    echo "build-deb.sh: warning: this debug package needs libraries from outside any package: $list" >&2
fi
[ ${#depends[@]} -gt 0 ] || fail "found no library packages to depend on (ldd failed?)"
depends_field="$(printf '%s\n' "${!depends[@]}" | sort | paste -sd, - | sed 's/,/, /g')"

install -d -m 0755 "$root/DEBIAN"
installed_size="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
cat >"$root/DEBIAN/control" <<EOF
Package: depot
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $installed_size
Depends: $depends_field
Recommends: lvm2, thin-provisioning-tools, drbd-utils, cryptsetup-bin
Suggests: zfsutils-linux
Section: admin
Priority: optional
Description: storage cluster manager speaking LINSTOR's REST API
 Depot keeps a storage cluster's desired state (nodes, storage pools, resources,
 volumes, DRBD replication) and makes each node match it. depot-controller serves
 LINSTOR's REST API v1, so python-linstor and the drivers built on it work
 unchanged; depot-satellite runs on every storage node (LVM, ZFS, file-backed
 volumes, LUKS, DRBD 9); depot is the command-line client, depot-pki makes the
 cluster's certificates.
 .
 Installs the systemd units depot-controller.service and depot-satellite.service
 (neither is enabled) and sample configurations in /etc/depot.
EOF
find "$root/etc" -type f -printf '/etc/%P\n' | sort >"$root/DEBIAN/conffiles"
for script in postinst prerm postrm; do
    install -m 0755 "$repo/packaging/debian/$script" "$root/DEBIAN/$script"
done
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles" "$root/DEBIAN/md5sums"

install -d -m 0755 "$output_dir"
deb="$output_dir/depot_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Z"$compression" --build "$root" "$deb" >/dev/null
echo "build-deb.sh: built $deb (Depends: $depends_field)"
