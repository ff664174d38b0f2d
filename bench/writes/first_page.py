#!/usr/bin/env python3
"""Starts `paradiplo serve` on an existing data folder and prints how long
it took until the first page answered 200, then the server's resident
memory (VmRSS, and its peak VmHWM) after that page and after REQUESTS more
public requests; leaves the server running and prints its pid last.

    python3 bench/writes/first_page.py BIN DATA_DIR PORT [REQUESTS]
"""
import http.client
import os
import subprocess
import sys
import time


def rss(pid):
    fields = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return fields["VmRSS"], fields["VmHWM"]


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path)
    res = conn.getresponse()
    res.read()
    return res.status


def main():
    binary, data, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    requests = int(sys.argv[4]) if len(sys.argv) > 4 else 200
    # SERVER_LOG: a file for the server's log, with the store's debug lines
    # (the time each write spent in the store).
    log = os.environ.get("SERVER_LOG")
    env = dict(os.environ)
    if log:
        env["RUST_LOG"] = "info,paradiplo_store=debug"
    start = time.monotonic()
    server = subprocess.Popen(
        [binary, "serve", "--data", data, "--addr", "127.0.0.1:%d" % port, "--no-seed"],
        stdout=subprocess.DEVNULL,
        stderr=open(log, "w") if log else subprocess.DEVNULL,
        env=env,
    )
    while True:
        try:
            if get(port, "/") == 200:
                break
        except OSError:
            pass
        if server.poll() is not None:
            sys.exit("the server stopped: exit %s" % server.returncode)
        time.sleep(0.01)
    first = time.monotonic() - start
    after_first = rss(server.pid)
    for n in range(requests):
        for path in ("/", "/partenaires", "/partenaires/partenaire-%06d" % (n * 37 % 1000)):
            get(port, path)
    print(
        "first_page %.2f s  rss_after_first %s (peak %s)  rss_after_%d_pages %s (peak %s)"
        % (first, after_first[0], after_first[1], 3 * requests, *rss(server.pid))
    )
    print(server.pid)


if __name__ == "__main__":
    main()
