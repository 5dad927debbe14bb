#!/usr/bin/env bash
# Starts a controller and four satellites on this machine, as the article's cluster:
# romulus (COMBINED), remus, vulcan and kronos, each satellite on its own loopback address
# (127.0.0.2-5) with its own state dir, and a FILE_THIN pool "thinpool" on every node under a
# temp dir. Then run the article's commands with depot (LS_CONTROLLERS=127.0.0.1:PORT).
# Ctrl-C stops everything it started (by PID) and removes the loop devices and files it made.
#
# Usage: scripts/local-cluster.sh [--port PORT]   (default 3370)
set -euo pipefail
cd "$(dirname "$0")/.."

port=3370
if [ "${1:-}" = "--port" ]; then port=$2; fi

swift build --product depot-controller >/dev/null
swift build --product depot-satellite >/dev/null
swift build --product depot >/dev/null
bin=.build/debug

root=$(mktemp -d /tmp/depot-local-cluster.XXXXXX)
pids=()
cleanup() {
    trap - EXIT INT TERM
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    losetup --list --noheadings --output NAME,BACK-FILE 2>/dev/null | while read -r device file; do
        case "$file" in "$root"/*) losetup -d "$device" || true ;; esac
    done
    rm -rf "$root"
    echo "local cluster stopped and cleaned up"
}
trap cleanup EXIT INT TERM

"$bin/depot-controller" --data-dir "$root/controller" --rest-bind "127.0.0.1:$port" 2>"$root/controller.log" &
pids+=($!)
nodes=(romulus remus vulcan kronos)
for index in "${!nodes[@]}"; do
    name=${nodes[$index]}
    address=127.0.0.$((index + 2))
    mkdir -p "$root/pool-$name"
    "$bin/depot-satellite" --bind "$address:3366" --state-dir "$root/state-$name" --hostname "$name" \
        --rest-token-file "$root/auth-$name.json" 2>"$root/$name.log" &
    pids+=($!)
done

export LS_CONTROLLERS=127.0.0.1:$port
for _ in $(seq 1 100); do
    "$bin/depot" controller version >/dev/null 2>&1 && break
    sleep 0.1
done
for index in "${!nodes[@]}"; do
    name=${nodes[$index]}
    type=Satellite
    [ "$name" = romulus ] && type=Combined
    "$bin/depot" node create --node-type "$type" "$name" "127.0.0.$((index + 2))" >/dev/null
done
sleep 2
for name in "${nodes[@]}"; do
    "$bin/depot" storage-pool create filethin "$name" thinpool "$root/pool-$name" >/dev/null
done

"$bin/depot" node list
"$bin/depot" storage-pool list
cat <<MSG

Local cluster running (logs and pools in $root). In another shell:
  export LS_CONTROLLERS=127.0.0.1:$port
  $bin/depot resource-definition create --layer-list storage LocalData
  $bin/depot volume-definition create LocalData 150m
  $bin/depot resource create --storage-pool thinpool vulcan kronos LocalData
  $bin/depot resource list
Press Ctrl-C to stop.
MSG
wait "${pids[0]}"
