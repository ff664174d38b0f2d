#!/usr/bin/env python3
"""The floor an import is compared with: inserts the rows that
`paradiplo import` wrote (records, revisions, audit lines, read back from
its SQLite file) into an empty database with the same tables and indexes,
in one transaction with prepared statements (`executemany`), and prints
the CPU seconds of the inserts and commit alone, and records per CPU second.

    python3 bench/import/plain_sqlite.py STORE/paradiplo.db
"""
import os
import sqlite3
import sys
import tempfile
import time

TABLES = ("records", "revisions", "audit_log")


def main():
    source = sqlite3.connect(sys.argv[1])
    schema = [
        sql
        for (sql,) in source.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name IN (?, ?, ?) AND sql IS NOT NULL "
            "ORDER BY type DESC",  # tables before their indexes
            TABLES,
        )
    ]
    rows = {}
    for table in TABLES:
        columns = [c[1] for c in source.execute(f"PRAGMA table_info({table})")]
        rows[table] = (columns, source.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall())
    records = len(rows["records"][1])
    with tempfile.TemporaryDirectory() as work:
        target = sqlite3.connect(os.path.join(work, "plain.db"), isolation_level=None)
        target.execute("PRAGMA journal_mode = WAL")
        target.execute("PRAGMA synchronous = NORMAL")
        for sql in schema:
            target.execute(sql)
        start = time.process_time()
        target.execute("BEGIN")
        for table, (columns, values) in rows.items():
            marks = ", ".join("?" for _ in columns)
            target.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values
            )
        target.execute("COMMIT")
        cpu = time.process_time() - start
        target.close()
    print("%8d records %8.2f cpu_s %10.0f records_per_cpu_s" % (records, cpu, records / cpu))


if __name__ == "__main__":
    main()
