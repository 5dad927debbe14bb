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
DEPOT_TEST_POSTGRES_SOCKET_URL=$(scripts/postgres-test-server.sh socket-url "$postgres_dir")
export DEPOT_TEST_POSTGRES_URL DEPOT_TEST_POSTGRES_SOCKET_URL

swift test --skip-build --parallel

# The kernel tier (a QEMU guest with its own devices, reached on 127.0.0.1) shares nothing with
# the other system tests, and waits on its guest most of the time: it runs beside them.
kernel_log=$(mktemp /tmp/depot-kernel-tier.XXXXXX)
python3 -m pytest -q -p no:cacheprovider --durations=5 tests/satellite/test_kernel_tier.py >"$kernel_log" 2>&1 &
kernel_pid=$!
trap 'kill "$kernel_pid" 2>/dev/null || true; rm -f "$kernel_log"; scripts/postgres-test-server.sh stop "$postgres_dir"' EXIT

status=0
python3 -m pytest -q -p no:cacheprovider --durations=15 --ignore=tests/satellite/test_kernel_tier.py \
    tests/compat tests/cli tests/satellite tests/ops || status=$?
# The system tests once more with every controller on PostgreSQL (tests/database_engine.py); the
# fuzzing run, the tests that are about one engine's tools or already run on PostgreSQL, and the
# satellite scale test (the satellite's cost, not the database's) are not repeated.
echo "--- the system tests on PostgreSQL ---"
DEPOT_TEST_ENGINE=postgresql python3 -m pytest -q -p no:cacheprovider --durations=5 \
    --ignore=tests/compat/test_schemathesis.py --ignore=tests/compat/test_database_tools.py \
    --ignore=tests/compat/test_postgres.py --ignore=tests/compat/test_postgres_failover.py \
    --ignore=tests/satellite/test_kernel_tier.py --ignore=tests/satellite/test_failover.py \
    --ignore=tests/satellite/test_scale.py \
    tests/compat tests/cli tests/satellite || status=$?
kernel_status=0
wait "$kernel_pid" || kernel_status=$?
echo "--- kernel tier (tests/satellite/test_kernel_tier.py) ---"
cat "$kernel_log"
rm -f "$kernel_log"
[ "$status" -eq 0 ] && [ "$kernel_status" -eq 0 ]
