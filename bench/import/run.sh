#!/bin/sh
# Times `paradiplo check` and `paradiplo import` on generated datasets of
# 10 000, 40 000 and 100 000 records (one file of partners: the case that
# was quadratic). Usage, from the repository root:
#
#     cargo build --release -p paradiplo
#     bench/import/run.sh [path/to/paradiplo] [sizes…]
#
# Prints one line per size: records, then wall-clock and CPU (user + system)
# seconds of check and of import (SQLite in a temporary folder), then the
# import's records per CPU second (the whole command: reading and checking
# the files, then writing), the rate of its writing alone (import CPU minus
# check CPU: `import` reads and checks the files as `check` does) and, for
# the same rows inserted into an empty SQLite database by `plain_sqlite.py`,
# the plain-insert rate and the ratios. CPU time is the figure to compare
# on a shared machine. Results: docs/benchmarks.md.
set -eu
BIN=${1:-target/release/paradiplo}
[ $# -gt 0 ] && shift
SIZES=${*:-10000 40000 100000}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
HERE=$(dirname "$0")
printf '%8s %10s %10s %10s %10s %12s %12s %12s %11s %11s\n' records check_wall check_cpu \
    import_wall import_cpu import_rec_s write_rec_s plain_rec_s import/plain write/plain
for n in $SIZES; do
    python3 "$HERE/generate.py" "$n" "$WORK/data-$n"
    check=$(python3 "$HERE/timed.py" "$BIN" check "$WORK/data-$n")
    import=$(python3 "$HERE/timed.py" "$BIN" import "$WORK/data-$n" --data "$WORK/store-$n")
    plain=$(python3 "$HERE/plain_sqlite.py" "$WORK/store-$n/paradiplo.db" | awk '{print $5}')
    rate=$(echo "$import" | awk -v n="$((n + 3))" '{printf "%.0f", n / $2}')
    write=$(echo "$check $import" | awk -v n="$((n + 3))" '{printf "%.0f", n / ($4 - $2)}')
    ratios=$(echo "$rate $write $plain" | awk '{printf "%10.0f%% %10.0f%%", 100 * $1 / $3, 100 * $2 / $3}')
    printf '%8d %21s %21s %12s %12s %12s %s\n' "$n" "$check" "$import" "$rate" "$write" "$plain" "$ratios"
    rm -rf "$WORK/data-$n" "$WORK/store-$n"
done
