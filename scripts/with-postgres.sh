#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL server from the system's packages (initdb in a
# temporary folder, a free loopback port, no fsync: test data need not survive a power cut), with
# REGULARS_TEST_POSTGRES set to its address; stops and removes it afterwards. As root, the
# cluster is the packages' postgres user's (initdb refuses root).
#   scripts/with-postgres.sh cargo test --test cli
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -x "$bin/initdb" ]] || { echo "with-postgres: PostgreSQL is not installed (scripts/setup.sh --test installs it)"; exit 1; }
dir=$(mktemp -d)
as_owner=()
if [[ $(id -u) -eq 0 ]]; then
  chown postgres:postgres "$dir"
  as_owner=(runuser -u postgres --)
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
"${as_owner[@]}" "$bin/initdb" -A trust -U regulars -E UTF8 --no-locale --no-sync -D "$dir/data" >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log"; exit 1; }
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 30 \
  -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off -c max_connections=100" start >/dev/null \
  || { cat "$dir/log"; exit 1; }
export REGULARS_TEST_POSTGRES="postgres://regulars@127.0.0.1:$port"
"$@"
