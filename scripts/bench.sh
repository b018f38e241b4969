#!/usr/bin/env bash
# Every benchmark in one run, written to BENCHMARKS.md: imports (against sqlite3 and openpyxl),
# search, follow-ups, sentiment (against vaderSentiment) at 10k, 100k and 1M customers, and the
# release app's launch and memory at 100k and 1M, and on an empty shop (through the end-to-end harness).
#   scripts/bench.sh              everything (over an hour on a 2-core machine; several GB in target/bench)
#   scripts/bench.sh --peers      first install the Python peers (openpyxl, vaderSentiment) with pip
# REGULARS_BENCH_SIZES, REGULARS_BENCH_RUNS and REGULARS_BENCH_ONLY narrow it (see benches/harness/main.rs).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh --test
if [[ "${1:-}" == "--peers" ]]; then
  python3 -m pip install --quiet openpyxl vaderSentiment==3.3.2
fi
command -v sqlite3 >/dev/null || echo "bench: sqlite3 is not installed (apt-get install sqlite3); its column will say so"
cargo build --release --locked -p regulars-app
cargo bench --locked --bench harness
