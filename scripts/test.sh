#!/usr/bin/env bash
# The whole test suite: swift-format lint, Swift unit and in-process tests, then the system tests
# that start real depot-controller processes and drive them with python-linstor and the depot CLI.
# The PostgreSQL tests run against a server this script starts (scripts/postgres-test-server.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-test-deps.sh

# Formatting and lint rules from .swift-format; scripts/format.sh fixes what it can.
swift format lint --strict --parallel --recursive Sources Tests Package.swift

swift build --build-tests

# A throwaway PostgreSQL server for the PostgreSQL store's tests (Swift and tests/compat), stopped
# and removed when this script ends, also when a test fails.
postgres_dir=$(mktemp -d /tmp/depot-test-postgres.XXXXXX)
trap 'scripts/postgres-test-server.sh stop "$postgres_dir"' EXIT
scripts/postgres-test-server.sh start "$postgres_dir"
DEPOT_TEST_POSTGRES_URL=$(scripts/postgres-test-server.sh url "$postgres_dir")
export DEPOT_TEST_POSTGRES_URL

swift test --skip-build --parallel

suites=()
for dir in tests/compat tests/cli tests/satellite tests/ops; do
    [ -d "$dir" ] && suites+=("$dir")
done
if [ ${#suites[@]} -gt 0 ]; then
    python3 -m pytest -q -p no:cacheprovider "${suites[@]}"
fi
