#!/bin/sh
# Publish latency through the API, restart-to-first-page and resident
# memory, at registry sizes of 1,000 and 100,000 records. Usage, from the
# repository root:
#
#     cargo build --release -p paradiplo
#     bench/writes/run.sh [path/to/paradiplo] [sizes…]
#
# For each size: generates a dataset (bench/import/generate.py: N partners,
# the home record and two domains), imports it into a new SQLite store,
# creates a publisher token, then
#   1. starts `serve` (which builds its search index) and publishes WRITES
#      changed partners through `PUT /api/v1/partners/…` one after the other
#      (publish.py: p50, p90, p99 and max of the answers, and of the part
#      spent in the store, from the server's debug log);
#   2. stops it and starts it again on the same folder (database and index
#      on disk): time until `/` answers 200, resident memory after that page
#      and after 3 × REQUESTS public pages (first_page.py).
# Everything stays on 127.0.0.1 and stops by itself. Results:
# docs/benchmarks.md.
set -eu
BIN=${1:-target/release/paradiplo}
[ $# -gt 0 ] && shift
SIZES=${*:-1000 100000}
WRITES=${WRITES:-200}
REQUESTS=${REQUESTS:-100}
PORT=${PORT:-18191}
HERE=$(dirname "$0")
WORK=$(mktemp -d)
PID=""
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
for n in $SIZES; do
    data="$WORK/store-$n"
    python3 "$HERE/../import/generate.py" "$n" "$WORK/data-$n"
    "$BIN" import "$WORK/data-$n" --data "$data" >/dev/null
    token=$("$BIN" token add --role publisher --name bench --data "$data" 2>/dev/null)
    # First start: builds the search index, then takes the writes.
    out=$(SERVER_LOG="$WORK/serve-$n.log" python3 "$HERE/first_page.py" "$BIN" "$data" "$PORT" 0)
    PID=$(echo "$out" | tail -n 1)
    echo "$n records, first start (index built): $(echo "$out" | head -n 1)"
    echo "$n records, publish:"
    python3 "$HERE/publish.py" "http://127.0.0.1:$PORT" "$token" "$n" "$WRITES" "$WORK/serve-$n.log"
    kill "$PID"; while kill -0 "$PID" 2>/dev/null; do sleep 0.1; done
    # Restart on what is on disk.
    out=$(python3 "$HERE/first_page.py" "$BIN" "$data" "$PORT" "$REQUESTS")
    PID=$(echo "$out" | tail -n 1)
    echo "$n records, restart: $(echo "$out" | head -n 1)"
    kill "$PID"; while kill -0 "$PID" 2>/dev/null; do sleep 0.1; done
    PID=""
    rm -rf "$WORK/data-$n" "$data"
done
