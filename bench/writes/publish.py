#!/usr/bin/env python3
"""Publishes N changed partners through the API, one after the other, and
prints the latency percentiles of the PUTs (each answer read whole).

    python3 bench/writes/publish.py BASE_URL TOKEN RECORDS [WRITES [SERVER_LOG]]

RECORDS is the size of the generated registry (bench/import/generate.py):
the partners written are spread over it, each written once from version 1.
With SERVER_LOG (the server's log with `paradiplo_store=debug`), also the
percentiles of the time each write spent in the store (validation and
transaction), the rest of an answer being the web layer's work after the
write (snapshot refresh, search catch-up) and HTTP.
"""
import http.client
import json
import re
import sys
import time
import urllib.parse


def partner(i, n):
    return {
        "slug": "partenaire-%06d" % i,
        "name": {"fr": "Partenaire %d" % i, "en": "Partner %d" % i},
        "kind": "federated_state",
        "country": "DE",
        "subdivision": "DE-BY",
        "world_region": "western_europe",
        "since": str(1960 + i % 60),
        "domains": ["culture", "economie"],
        "summary": {
            "fr": "Partenaire numéro %d, réécrit (%d)." % (i, n),
            "en": "Partner number %d, rewritten (%d)." % (i, n),
        },
    }


def percentile(sorted_ms, p):
    k = min(len(sorted_ms) - 1, max(0, round(p / 100 * len(sorted_ms)) - 1))
    return sorted_ms[k]


def main():
    base, token, records = sys.argv[1], sys.argv[2], int(sys.argv[3])
    writes = int(sys.argv[4]) if len(sys.argv) > 4 else 200
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port)
    step = max(1, records // writes)
    times = []
    for n in range(writes):
        i = (n * step) % records
        body = json.dumps({"record": partner(i, n), "state": "published", "note": "bench"})
        headers = {
            "Authorization": "Bearer " + token,
            "Content-Type": "application/json",
            "If-Match": '"1"',
        }
        start = time.perf_counter()
        conn.request("PUT", "/api/v1/partners/partenaire-%06d" % i, body, headers)
        res = conn.getresponse()
        answer = res.read()
        times.append((time.perf_counter() - start) * 1000)
        if res.status != 200:
            sys.exit("PUT partenaire-%06d: %d %s" % (i, res.status, answer[:300]))
    report("API PUT", times)
    if len(sys.argv) > 5:
        with open(sys.argv[5]) as f:
            store = [
                int(m.group(1)) / 1000
                for line in f
                if "record written" in line
                for m in [re.search(r"micros\W+(\d+)", line)]
                if m
            ]
        report("in the store", store)


def report(what, times):
    times = sorted(times)
    print(
        "%-12s %6d writes  p50 %8.1f ms  p90 %8.1f ms  p99 %8.1f ms  max %8.1f ms"
        % (what, len(times), percentile(times, 50), percentile(times, 90), percentile(times, 99), times[-1])
    )


if __name__ == "__main__":
    main()
