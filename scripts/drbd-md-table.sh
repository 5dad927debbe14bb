#!/usr/bin/env bash
# Regenerates Tests/DepotModelTests/Fixtures/drbd-md-sizes.tsv from the real drbdmeta.
#
# DRBD's metadata size decides how large a backing volume must be for a given usable size; getting
# it wrong by one 4 KiB block makes `create-md` fail or silently shrinks the device. So the table the
# Swift model is tested against comes from drbdmeta itself, run on loop devices over sparse files:
#
#   drbdmeta -v -v --force MINOR v09 LOOPDEV internal|flex-external create-md [AL/BM options] PEERS
#   drbdmeta --force MINOR v09 LOOPDEV internal|flex-external dump-md
#
# The verbose create-md prints drbdmeta's own md_size_sect and max_usable_sect; dump-md reads the
# metadata back from the device. The script insists that both agree before it writes a row.
#
# Usage: sudo scripts/drbd-md-table.sh [OUTPUT.tsv]
#   DRBDMETA=/path/to/drbdmeta picks another drbdmeta (DRBDMETA_VERSION=... names it in the header);
#   one from drbd-utils >= 9.33 also measures --bitmap-block-size variants.
# Needs root, losetup and drbd-utils; no DRBD kernel module. Cleans up its loop devices, image files
# and drbdmeta's lock/last-known-bdev files for the minor it used, also on failure or interrupt.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-"$script_dir/../Tests/DepotModelTests/Fixtures/drbd-md-sizes.tsv"}
DRBDMETA=${DRBDMETA:-drbdmeta}

die() { echo "drbd-md-table: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "needs root (losetup, drbdmeta)"
command -v "$DRBDMETA" >/dev/null || die "drbdmeta not found (apt-get install -y drbd-utils)"
command -v losetup >/dev/null || die "losetup not found"

work=""
minor=""
lock_dir=""
created_var_lock=0
out_tmp=""

# Detaches only the loop devices backed by our own image file.
detach_image() {
    local img=$1 dev
    [[ -e $img ]] || return 0
    for dev in $(losetup -j "$img" -n -O NAME 2>/dev/null || true); do
        losetup -d "$dev" 2>/dev/null || echo "drbd-md-table: could not detach $dev ($img)" >&2
    done
}

# drbdmeta leaves a lock file and a "last known backing device" file per minor behind.
remove_minor_files() {
    [[ -n $minor ]] || return 0
    rm -f /run/lock/drbd-*-"$minor" /var/lock/drbd-*-"$minor" \
        /var/lib/drbd/drbd-minor-"$minor".lkbd /run/drbd/drbd-minor-"$minor".lkbd \
        /run/drbd/drbd-"$minor"-* 2>/dev/null || true
}

cleanup() {
    local rc=$?
    set +e
    if [[ -n $work && -d $work ]]; then
        local img
        for img in "$work"/*.img; do detach_image "$img"; done
        rm -rf -- "$work"
    fi
    remove_minor_files
    [[ -n $out_tmp ]] && rm -f -- "$out_tmp"
    if (( created_var_lock )); then rmdir "$lock_dir" 2>/dev/null; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# drbdmeta locks the minor in /var/lock; on some minimal systems it (or its /run/lock target) is missing.
lock_dir=$(readlink -f /var/lock || echo /var/lock)
if [[ ! -d $lock_dir ]]; then
    mkdir -p "$lock_dir"
    created_var_lock=1
fi

# A minor nobody else uses on this host: no lock or lkbd file may exist for it yet.
for candidate in $(seq $((1040000 + $$ % 4000)) 1048575); do
    if ! compgen -G "/run/lock/drbd-*-$candidate" >/dev/null \
        && ! compgen -G "/var/lock/drbd-*-$candidate" >/dev/null \
        && [[ ! -e /var/lib/drbd/drbd-minor-$candidate.lkbd ]]; then
        minor=$candidate
        break
    fi
done
[[ -n $minor ]] || die "no free minor found"

work=$(mktemp -d "${TMPDIR:-/var/tmp}/drbd-md-table.XXXXXX")
out_tmp=$(mktemp "$work/out.XXXXXX")

# drbdmeta has no --version: name the package that owns the binary, if any.
drbdmeta_path=$(readlink -f "$(command -v "$DRBDMETA")")
drbdmeta_version=${DRBDMETA_VERSION:-}
if [[ -z $drbdmeta_version ]]; then
    # dpkg may list it as /sbin/drbdmeta on merged-/usr systems: compare files, not names.
    for packaged in $(dpkg -L drbd-utils 2>/dev/null | grep '/drbdmeta$' || true); do
        if [[ $packaged -ef $drbdmeta_path ]]; then
            drbdmeta_version="drbd-utils $(dpkg-query -W -f '${Version}' drbd-utils)"
            break
        fi
    done
fi
supports_bm_block=0
usage=$("$DRBDMETA" 2>&1 || true)
if [[ $usage == *--bitmap-block-size* ]]; then supports_bm_block=1; fi

# Prints "md_kib<TAB>usable_kib" for one create-md on a fresh loop device, or "-<TAB>0" when drbdmeta
# refuses the device as too small for the metadata.
measure() {
    local kind=$1 kib=$2 peers=$3 stripes=$4 stripe_kib=$5 bm_kib=$6
    local img="$work/dev-$kib.img" dev log="$work/create.log" dump="$work/dump.log" rc=0
    local -a opts=()
    [[ $stripes == 1 && $stripe_kib == 32 ]] || opts+=(--al-stripes "$stripes" --al-stripe-size-kB "$stripe_kib")
    [[ $bm_kib == 4 ]] || opts+=(--bitmap-block-size "${bm_kib}k")

    rm -f -- "$img"
    truncate -s "${kib}K" "$img"
    dev=$(losetup --find --show "$img")
    [[ $(blockdev --getsize64 "$dev") == $((kib * 1024)) ]] || die "$dev is not $kib KiB"

    timeout 600 "$DRBDMETA" -v -v --force "$minor" v09 "$dev" "$kind" create-md "${opts[@]}" "$peers" \
        </dev/null >"$log" 2>&1 || rc=$?
    if (( rc != 0 )); then
        detach_image "$img"; rm -f -- "$img"; remove_minor_files
        if (( rc == 10 )) && grep -Eq "not enough|too small|not in meta data area range" "$log"; then
            printf -- '-\t0\n'
            return 0
        fi
        cat "$log" >&2
        die "create-md failed (rc $rc) for $kind $kib KiB, $peers peers, AL $stripes x $stripe_kib KiB, bm $bm_kib KiB"
    fi
    timeout 600 "$DRBDMETA" --force "$minor" v09 "$dev" "$kind" dump-md </dev/null >"$dump" 2>&1 \
        || { cat "$dump" >&2; die "dump-md failed for $kind $kib KiB"; }
    detach_image "$img"; rm -f -- "$img"; remove_minor_files

    local c_md c_usable d_md d_md_off d_al_off d_bm_off d_peers
    c_md=$(sed -n 's/^md_size_sect: \([0-9]*\)$/\1/p' "$log" | tail -n 1)
    c_usable=$(sed -n 's/^max_usable_sect: \([0-9]*\)$/\1/p' "$log" | tail -n 1)
    d_md=$(sed -n 's/^# md_size_sect \([0-9]*\)$/\1/p' "$dump")
    d_md_off=$(sed -n 's/^# md_offset \([0-9]*\)$/\1/p' "$dump")
    d_al_off=$(sed -n 's/^# al_offset \([0-9]*\)$/\1/p' "$dump")
    d_bm_off=$(sed -n 's/^# bm_offset \([0-9]*\)$/\1/p' "$dump")
    d_peers=$(sed -n 's/^max-peers \([0-9]*\);$/\1/p' "$dump")
    [[ -n $c_md && -n $c_usable && -n $d_md && -n $d_md_off && -n $d_al_off && -n $d_bm_off ]] \
        || { cat "$log" "$dump" >&2; die "could not parse drbdmeta output for $kind $kib KiB"; }
    [[ $c_md == "$d_md" ]] || die "create-md said md_size_sect $c_md, dump-md reads $d_md ($kind $kib KiB)"
    [[ $d_peers == "$peers" ]] || die "dump-md reads max-peers $d_peers, asked for $peers"

    local usable_kib=$((c_usable / 2))
    if [[ $kind == internal ]]; then
        # Internal: data ends where the first metadata part (the bitmap) begins.
        local first=$d_md_off
        (( d_al_off < first )) && first=$d_al_off
        (( d_bm_off < first )) && first=$d_bm_off
        (( first == c_usable * 512 )) \
            || die "dump-md's first metadata byte $first != max_usable_sect $c_usable x 512 ($kib KiB)"
        (( d_md_off + 4096 - d_bm_off == d_md * 512 )) || die "metadata area is not contiguous ($kib KiB)"
    fi
    printf '%s\t%s\n' "$((d_md / 2))" "$usable_kib"
}

# Sizes in KiB. Besides round sizes, every point where the bitmap of N peers grows by one 4 KiB block
# (4096 / (8 * N) 64-bit words, each word covering 256 KiB at 4 KiB per bit) plus one KiB and one
# 4 KiB block beyond it, and sizes that are not multiples of 4 KiB.
internal_sizes=(67 68 69 70 71 72 73 76 100 128 136 140 256 1023 1024 1025 1028 2047 2048 4095 4096 4097 4100 4104 4108 4112 5000
    8704 8705 8708 18688 18689 18692 43520 43521 43524 65536 65537 65540 131072 131073 131076
    153600 1048576 10485760 104857600 1073741824)
external_sizes=(67 68 100 1023 1024 1025 1028 2048 4096 4100 40960 1048576)
peer_counts=(1 2 3 7 15 31)
al_variants=("2 64" "8 512")
al_variant_peers=(1 7 31)
bm_blocks=(8 64 1024)
bm_sizes=(68 100 1024 4096 4100 65536 131073 153600 1048576 104857600 1073741824)

{
    echo "# Generated by scripts/drbd-md-table.sh from $drbdmeta_path (${drbdmeta_version:-version unknown}); do not edit."
    echo "# internal: backing_kib = loop device size; md_kib = md_size_sect/2; usable_kib = max_usable_sect/2,"
    echo "#   i.e. the byte offset where the internal metadata begins (read back with dump-md)."
    echo "# external: backing_kib = flex-external metadata device size; usable_kib = data it can track."
    echo "# md_kib '-' with usable_kib 0: create-md refused the device as too small."
    printf 'kind\tbacking_kib\tpeers\tal_stripes\tal_stripe_kib\tbm_block_kib\tmd_kib\tusable_kib\n'
} >"$out_tmp"

row() {
    local kind=$1 kib=$2 peers=$3 stripes=$4 stripe_kib=$5 bm_kib=$6 result
    result=$(measure "$kind" "$kib" "$peers" "$stripes" "$stripe_kib" "$bm_kib")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "${kind#flex-}" "$kib" "$peers" "$stripes" "$stripe_kib" "$bm_kib" "$result" \
        >>"$out_tmp"
}

for kib in "${internal_sizes[@]}"; do
    for peers in "${peer_counts[@]}"; do row internal "$kib" "$peers" 1 32 4; done
    for al in "${al_variants[@]}"; do
        read -r stripes stripe_kib <<<"$al"
        for peers in "${al_variant_peers[@]}"; do row internal "$kib" "$peers" "$stripes" "$stripe_kib" 4; done
    done
done
for kib in "${external_sizes[@]}"; do
    for peers in "${peer_counts[@]}"; do row flex-external "$kib" "$peers" 1 32 4; done
    for al in "${al_variants[@]}"; do
        read -r stripes stripe_kib <<<"$al"
        for peers in "${al_variant_peers[@]}"; do row flex-external "$kib" "$peers" "$stripes" "$stripe_kib" 4; done
    done
done
if (( supports_bm_block )); then
    for bm in "${bm_blocks[@]}"; do
        for kib in "${bm_sizes[@]}"; do
            for peers in "${al_variant_peers[@]}"; do row internal "$kib" "$peers" 1 32 "$bm"; done
        done
        for kib in "${external_sizes[@]}"; do
            for peers in "${al_variant_peers[@]}"; do row flex-external "$kib" "$peers" 1 32 "$bm"; done
        done
    done
else
    echo "drbd-md-table: $DRBDMETA has no --bitmap-block-size (drbd-utils < 9.33): only 4 KiB bitmap blocks" >&2
fi

mkdir -p "$(dirname "$out")"
mv -- "$out_tmp" "$out"
out_tmp=""
echo "drbd-md-table: wrote $(grep -vc '^#' "$out") lines to $out" >&2
