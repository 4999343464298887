"""CPU and memory, read from /proc: who else used the machine, how much the
service needed.
"""

import os
import resource
import time
from pathlib import Path

from .common import PG_DB


TICKS = os.sysconf("SC_CLK_TCK")


def machine_busy_seconds():
    """CPU seconds all processes have used, from /proc/stat."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
    return (user + nice + system + irq + softirq + steal) / TICKS


def process_seconds(pid):
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def children_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_db_backends():
    """PostgreSQL's processes serving the benchmark database: part of the system
    under test (each backend's title names its database)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if title.startswith(b"postgres: ") and f" {PG_DB} ".encode() in title:
                pids.append(int(entry.name))
    return pids


class CpuWatch:
    """How many cores processes other than ours used during a measurement.

    Ours are the server under test, its PostgreSQL backends and the load
    generator (a finished child, or this process's own threads: the media
    scenarios' clients, the mixed scenarios' writers). Anything else, a
    build next door say, makes the figures noisy: the table shows it so that
    nobody trusts a run taken on a busy machine.
    """

    def __init__(self, server_pid):
        self.pid = server_pid
        self.start = self.read()

    def read(self):
        ours = {pid: process_seconds(pid)
                for pid in [self.pid, os.getpid(), *bench_db_backends()]}
        return machine_busy_seconds(), ours, children_seconds(), time.monotonic()

    def other_cores(self):
        busy0, ours0, loadgen0, wall0 = self.start
        busy1, ours1, loadgen1, wall1 = self.read()
        ours = sum(t - ours0.get(pid, 0.0) for pid, t in ours1.items())
        other = (busy1 - busy0) - ours - (loadgen1 - loadgen0)
        return round(max(other, 0) / (wall1 - wall0), 2) if wall1 > wall0 else None


def memory_mb(pid):
    """The process's resident memory now (VmRSS) and at its peak (VmHWM), in MB."""
    found = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = round(int(value.split()[0]) / 1024, 1)
    except OSError:
        pass
    return {"rss_mb": found.get("VmRSS"), "peak_mb": found.get("VmHWM")}


def peak_rss_mb(pid):
    return memory_mb(pid)["peak_mb"]
