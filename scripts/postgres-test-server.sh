#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, in a directory of its own:
#
#   scripts/postgres-test-server.sh start DIR   # initdb into DIR/data and start it
#   scripts/postgres-test-server.sh url DIR     # postgresql://depot:PASSWORD@127.0.0.1:PORT/depot
#   scripts/postgres-test-server.sh socket-url DIR  # the same database over the unix socket in DIR
#   scripts/postgres-test-server.sh stop DIR    # stop it (pg_ctl, by its postmaster.pid) and remove DIR
#
# The server listens on 127.0.0.1 only, on a free port, with its unix socket inside DIR (where
# `depot` logs in with its password too, as over TCP); fsync
# stays on (the store's durability is what is tested); ssl is on with a self-signed certificate
# made here by openssl; the role `depot` (password auth, may create databases) owns the database
# `depot` and is in pg_signal_backend, so that the tests' `DROP DATABASE … WITH (FORCE)` may also
# end an autovacuum worker that happens to be in the database (it runs under no role of its own); every database made from template1 has pg_stat_statements, so that a test can count
# the statements a commit sends. It runs as the OS user postgres, since the server refuses to run as root. Debian's own
# cluster is neither needed nor touched.
set -euo pipefail

usage() {
    echo "usage: $0 start|stop|url|socket-url DIR" >&2
    exit 2
}

[ $# -eq 2 ] || usage
command=$1
dir=$2
marker="$dir/depot-postgres-test-server"

# The server's binaries: pg_config's, or the newest under /usr/lib/postgresql.
bindir() {
    local candidate
    if command -v pg_config >/dev/null 2>&1; then
        candidate=$(pg_config --bindir)
        if [ -x "$candidate/initdb" ]; then
            echo "$candidate"
            return
        fi
    fi
    candidate=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -n "$candidate" ] && [ -x "$candidate/initdb" ]; then
        echo "$candidate"
        return
    fi
    echo "postgres-test-server: no PostgreSQL server binaries (initdb) found; install Debian's postgresql package (scripts/install-test-deps.sh does)" >&2
    exit 1
}

# As the OS user postgres, from /, a directory it may enter.
as_postgres() {
    (cd / && runuser -u postgres -- "$@")
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "postgres-test-server: run as root (the server is started as the OS user postgres)" >&2
        exit 1
    fi
    if ! id postgres >/dev/null 2>&1; then
        echo "postgres-test-server: there is no OS user postgres; install Debian's postgresql package" >&2
        exit 1
    fi
    if [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
        echo "postgres-test-server: $dir is not empty; give a new or empty directory" >&2
        exit 1
    fi
    local bin
    bin=$(bindir)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    marker="$dir/depot-postgres-test-server"
    touch "$marker"
    chown postgres: "$dir"
    chmod 0700 "$dir"
    if ! as_postgres test -w "$dir"; then
        echo "postgres-test-server: the OS user postgres cannot reach $dir (a parent directory is closed to it); use a directory under /tmp" >&2
        exit 1
    fi

    openssl rand -hex 16 >"$dir/password"
    chmod 0600 "$dir/password"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=localhost" \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
        -keyout "$dir/server.key" -out "$dir/server.crt" 2>/dev/null
    chown postgres: "$dir/server.key" "$dir/server.crt"
    chmod 0600 "$dir/server.key"

    as_postgres "$bin/initdb" --pgdata="$dir/data" --username=postgres --auth-local=peer --auth-host=scram-sha-256 \
        --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        exit 1
    }
    # The first matching line wins: `depot` uses its password on the socket as well.
    as_postgres sed -i '1i local all depot scram-sha-256' "$dir/data/pg_hba.conf"
    local attempt port
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        cat >"$dir/data/postgresql.auto.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = on
synchronous_commit = on
ssl = on
ssl_cert_file = '$dir/server.crt'
ssl_key_file = '$dir/server.key'
max_connections = 300
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
EOF
        if as_postgres "$bin/pg_ctl" start --pgdata="$dir/data" --log="$dir/server.log" --wait --timeout=60 >/dev/null; then
            break
        fi
        if [ "$attempt" -eq 5 ] || ! grep -q 'could not bind' "$dir/server.log"; then
            echo "postgres-test-server: the server did not start; its log:" >&2
            cat "$dir/server.log" >&2
            exit 1
        fi
    done
    echo "$port" >"$dir/port"
    # The password goes in on stdin, never in an argv that ps shows.
    as_postgres "$bin/psql" --no-psqlrc --quiet --host="$dir" --port="$port" --username=postgres --dbname=postgres \
        --set=ON_ERROR_STOP=1 <<SQL
CREATE ROLE depot LOGIN CREATEDB PASSWORD '$(cat "$dir/password")';
GRANT pg_signal_backend TO depot;
\\connect template1
CREATE EXTENSION pg_stat_statements;
CREATE DATABASE depot OWNER depot;
SQL
    echo "postgres-test-server: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $dir" >&2
}

stop() {
    if [ ! -e "$marker" ]; then
        echo "postgres-test-server: $dir is not a test server's directory (no $(basename "$marker")); not touching it" >&2
        exit 1
    fi
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_postgres "$(bindir)/pg_ctl" stop --pgdata="$dir/data" --mode=fast --wait --timeout=60 >/dev/null
    fi
    rm -rf "$dir"
}

url() {
    if [ ! -f "$dir/port" ]; then
        echo "postgres-test-server: no server was started in $dir" >&2
        exit 1
    fi
    echo "postgresql://depot:$(cat "$dir/password")@127.0.0.1:$(cat "$dir/port")/depot"
}

socket_url() {
    if [ ! -f "$dir/port" ]; then
        echo "postgres-test-server: no server was started in $dir" >&2
        exit 1
    fi
    echo "postgresql://depot:$(cat "$dir/password")@:$(cat "$dir/port")/depot?host=$dir"
}

case "$command" in
    start) start ;;
    stop) stop ;;
    url) url ;;
    socket-url) socket_url ;;
    *) usage ;;
esac
