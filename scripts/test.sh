#!/usr/bin/env bash
# The whole test suite: swift-format lint, Swift unit and in-process tests, then the system tests
# that start real depot-controller processes and drive them with python-linstor and the depot CLI.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-test-deps.sh

# Formatting and lint rules from .swift-format; scripts/format.sh fixes what it can.
swift format lint --strict --parallel --recursive Sources Tests Package.swift

swift build --build-tests
swift test --skip-build --parallel

suites=()
for dir in tests/compat tests/cli tests/satellite tests/ops; do
    [ -d "$dir" ] && suites+=("$dir")
done
if [ ${#suites[@]} -gt 0 ]; then
    python3 -m pytest -q -p no:cacheprovider "${suites[@]}"
fi
