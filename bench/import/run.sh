#!/bin/sh
# Times `paradiplo check` and `paradiplo import` on generated datasets of
# 10 000, 40 000 and 100 000 records (one file of partners: the case that
# was quadratic). Usage, from the repository root:
#
#     cargo build --release -p paradiplo
#     bench/import/run.sh [path/to/paradiplo] [sizes…]
#
# Prints one line per size: records, then wall-clock and CPU (user + system)
# seconds of check and of import (SQLite in a temporary folder). CPU time is
# the figure to compare on a shared machine. Results: docs/benchmarks.md.
set -eu
BIN=${1:-target/release/paradiplo}
[ $# -gt 0 ] && shift
SIZES=${*:-10000 40000 100000}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
HERE=$(dirname "$0")
printf '%8s %10s %10s %10s %10s\n' records check_wall check_cpu import_wall import_cpu
for n in $SIZES; do
    python3 "$HERE/generate.py" "$n" "$WORK/data-$n"
    check=$(python3 "$HERE/timed.py" "$BIN" check "$WORK/data-$n")
    import=$(python3 "$HERE/timed.py" "$BIN" import "$WORK/data-$n" --data "$WORK/store-$n")
    printf '%8d %21s %21s\n' "$n" "$check" "$import"
done
