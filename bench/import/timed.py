#!/usr/bin/env python3
"""Runs a command (its output discarded; a failure stops the benchmark) and
prints its wall-clock and CPU (user + system) seconds."""
import resource
import subprocess
import sys
import time

start = time.monotonic()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.monotonic() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%10.2f %10.2f" % (wall, usage.ru_utime + usage.ru_stime))
