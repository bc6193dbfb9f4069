"""What the servers and the machine consume, read from /proc (Linux only).

Memory is VmRSS summed over a process tree (gunicorn: master + workers); CPU is
user + system time. The machine-wide busy time lets each sample tell how much
CPU went to processes that are neither the server nor our client: on a shared
2-core machine that is what makes a figure trustworthy or not.
"""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int | str) -> list[str]:
    """Fields of /proc/<pid>/stat after the command name (which may contain spaces)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def process_tree(root: int) -> list[int]:
    """`root` and all its descendants (gunicorn: master + workers).

    Scans all of /proc (several ms here), so samplers call it rarely and read
    only the per-process files of the pids it returned in between.
    """
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            ppid = int(_stat_fields(entry)[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    tree, pending = [], [root]
    while pending:
        pid = pending.pop()
        tree.append(pid)
        pending.extend(children.get(pid, []))
    return tree


def tree_rss(pids: list[int]) -> int:
    """Resident bytes summed over `pids` (statm's resident pages); vanished pids count 0."""
    total = 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
        except (OSError, IndexError, ValueError):
            continue
    return total


def tree_pss(pids: list[int]) -> int:
    """Proportional set size summed over `pids`: shared pages (gunicorn's forked
    workers share the master's) count once in total instead of once per process."""
    total = 0
    for pid in pids:
        try:
            lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        except OSError:
            continue
        total += sum(int(line.split()[1]) * 1024 for line in lines if line.startswith("Pss:"))
    return total


def memory_available() -> int:
    """MemAvailable from /proc/meminfo, in bytes."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) * 1024
    return 0


def tree_cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds used so far by `pids` themselves."""
    ticks = 0
    for pid in pids:
        try:
            fields = _stat_fields(pid)
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / CLOCK_TICKS


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent not idle (all cores), from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    # user nice system idle iowait irq softirq steal: all but idle and iowait are busy.
    busy = values[0] + values[1] + values[2] + values[5] + values[6] + values[7]
    return busy / CLOCK_TICKS


def client_cpu_seconds() -> float:
    """CPU of this process (the push client, the RSS sampler) and its reaped children (curl, wrk)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


@dataclass(frozen=True, slots=True)
class CpuSnapshot:
    """Server, client and machine CPU counters at one instant."""

    server: float
    client: float
    machine: float

    @classmethod
    def take(cls, server_pids: list[int]) -> CpuSnapshot:
        return cls(tree_cpu_seconds(server_pids), client_cpu_seconds(), machine_busy_seconds())

    def __sub__(self, earlier: CpuSnapshot) -> CpuSnapshot:
        return CpuSnapshot(
            self.server - earlier.server, self.client - earlier.client, self.machine - earlier.machine
        )

    @property
    def foreign(self) -> float:
        """Busy CPU that was neither the server nor the client: other load on the machine."""
        return max(self.machine - self.server - self.client, 0.0)
