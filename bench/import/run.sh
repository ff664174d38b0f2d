#!/bin/sh
# Times `paradiplo check` and `paradiplo import` on generated datasets of
# 10 000, 40 000 and 100 000 records (one file of partners: the case that
# was quadratic). Usage, from the repository root:
#
#     cargo build --release -p paradiplo
#     bench/import/run.sh [path/to/paradiplo] [sizes…]
#
# Prints one line per size: records, check seconds, import seconds (wall
# clock, SQLite in a temporary folder). Results: docs/benchmarks.md.
set -eu
BIN=${1:-target/release/paradiplo}
[ $# -gt 0 ] && shift
SIZES=${*:-10000 40000 100000}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
now() { python3 -c 'import time; print(time.monotonic())'; }
printf '%8s %10s %10s\n' records check_s import_s
for n in $SIZES; do
    python3 "$(dirname "$0")/generate.py" "$n" "$WORK/data-$n"
    t0=$(now)
    "$BIN" check "$WORK/data-$n" >/dev/null
    t1=$(now)
    "$BIN" import "$WORK/data-$n" --data "$WORK/store-$n" >/dev/null 2>&1
    t2=$(now)
    python3 -c "print('%8d %10.2f %10.2f' % ($n, $t1 - $t0, $t2 - $t1))"
done
