#!/usr/bin/env bash
# Builds the release controller and benchmark, then runs the benchmark against that controller:
# 100 nodes, 10,000 resource definitions × 3 replicas by default. Arguments go to depot-bench
# (--nodes, --definitions, --replicas, --clients, --samples, --keep-data, --json; see --help).
set -euo pipefail
cd "$(dirname "$0")/.."

# One product per build: swift build honours only the last --product it is given.
swift build -c release --product depot-controller
swift build -c release --product depot-bench
exec .build/release/depot-bench --controller .build/release/depot-controller "$@"
