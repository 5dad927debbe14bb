#!/usr/bin/env bash
# Per-change cost on a node with many volumes: builds the release controller and satellite, then
# times create/delete at 0, 100 and 1,000 volumes per node on a real satellite with loop devices
# (as root). Arguments go to scripts/bench_satellite.py (--levels, --samples, --keep; see --help).
set -euo pipefail
cd "$(dirname "$0")/.."

swift build -c release --product depot-controller
swift build -c release --product depot-satellite
exec python3 scripts/bench_satellite.py "$@"
