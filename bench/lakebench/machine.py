"""The machine and its processes: core count, load, versions of everything measured, and the CPU
time and memory of server processes (read from /proc, Linux only).

CPU time is how each figure is told to be client-bound or server-bound: a measurement records the
wall time, the client's CPU time and the server's CPU time over the same interval; a side that was
busy nearly all the wall time is what bounded it.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cores() -> int:
    return os.cpu_count() or 1


def loadavg() -> str:
    """The 1, 5 and 15-minute load averages, e.g. "2.10 1.85 1.60"."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def load1() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def mem_total_gb() -> float:
    m = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
    return int(m.group(1)) / 1024 / 1024 if m else 0.0


def git_rev(repo: Path) -> str:
    """The short commit of ``repo``, with ``-dirty`` when tracked files changed."""
    try:
        rev = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short=10", "HEAD"],
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return rev + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def command_version(args: list[str]) -> str:
    try:
        out = subprocess.run(args, capture_output=True, text=True, timeout=30)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "unknown"


# ---------------------------------------------------------------------------------------------
# CPU time


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: split after its last ')'.
    return text[text.rindex(")") + 2:].split()


def process_cpu(pid: int, children: bool = False) -> float:
    """CPU seconds (user + system, all threads) of ``pid``; with ``children`` also those of its
    children that have exited and been waited for (e.g. PostgreSQL backends reaped by the
    postmaster)."""
    f = _stat_fields(pid)
    if f is None:
        return 0.0
    # Fields after the name start at index 0 = field 3 (state): utime is field 14, stime 15,
    # cutime 16, cstime 17.
    ticks = int(f[11]) + int(f[12])
    if children:
        ticks += int(f[13]) + int(f[14])
    return ticks / CLOCK_TICKS


def family_pids(leader: int) -> list[int]:
    """``leader`` and its child processes (PostgreSQL: the postmaster and its backends, which
    each start a session of their own, so a process group does not hold them)."""
    pids = [leader]
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            f = _stat_fields(int(entry))
            if f is not None and int(f[1]) == leader:
                pids.append(int(entry))
    return pids


def family_cpu(leader: int) -> float:
    """CPU seconds of a multi-process server so far: the leader, its live children, and the
    exited children it has reaped (PostgreSQL: postmaster, backends, parallel workers)."""
    total = process_cpu(leader, children=True)
    for pid in family_pids(leader):
        if pid != leader:
            total += process_cpu(pid)
    return total


def self_cpu() -> float:
    """CPU seconds of this process (all threads) and of its waited-for children (psql, pgbench)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


@dataclass
class CpuSpan:
    """Wall and CPU seconds of one measured interval."""

    wall: float
    client_cpu: float
    server_cpu: float

    def bound(self) -> str:
        """Which side bounded the interval: the one that was busy for most of it (one client
        thread can use at most one core; a server may use more)."""
        if self.wall <= 0:
            return "?"
        client = self.client_cpu / self.wall
        server = self.server_cpu / self.wall
        if client >= 0.85 and client >= server:
            return "client-bound"
        if server >= 0.85 and server > client:
            return "server-bound"
        return "mixed"

    def describe(self) -> str:
        if self.wall <= 0:
            return ""
        return (f"client CPU {100 * self.client_cpu / self.wall:.0f}%, "
                f"server CPU {100 * self.server_cpu / self.wall:.0f}% of {self.wall:.2f} s")


class CpuMeter:
    """Measures one interval: ``with CpuMeter(server) as m: ...`` then ``m.span``. ``server`` has
    ``cpu()`` (its cumulative CPU seconds) and may have ``settle()`` (called after the wall time is
    taken and before the CPU time is read: PostgreSQL's backends count once reaped); None: no
    server (DuckDB in-process: everything counts as the client)."""

    def __init__(self, server=None):
        self._server = server
        self._server_cpu = server.cpu if server is not None else None
        self.span: CpuSpan | None = None

    def __enter__(self) -> "CpuMeter":
        if self._server is not None and hasattr(self._server, "mark"):
            self._server.mark()
        self._s0 = self._server_cpu() if self._server_cpu else 0.0
        self._c0 = self_cpu()
        self._t0 = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        wall = time.perf_counter() - self._t0
        client = self_cpu() - self._c0
        if self._server is not None and hasattr(self._server, "settle"):
            self._server.settle()
        server = (self._server_cpu() - self._s0) if self._server_cpu else 0.0
        self.span = CpuSpan(wall, client, server)


# ---------------------------------------------------------------------------------------------
# memory


def _status_kb(pid: int, key: str) -> int:
    try:
        m = re.search(rf"^{key}:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.M)
    except OSError:
        return 0
    return int(m.group(1)) if m else 0


def rss_kb(pid: int) -> int:
    return _status_kb(pid, "VmRSS")


def hwm_kb(pid: int) -> int:
    """Peak RSS since start or since the last ``reset_peak``."""
    return _status_kb(pid, "VmHWM")


def reset_peak(pid: int) -> bool:
    """Resets the process's VmHWM to its current RSS (``echo 5 > /proc/PID/clear_refs``)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def pss_kb(pid: int) -> int:
    """Proportional set size: shared pages divided among the processes sharing them, so that
    a multi-process server's PSS adds up to its real footprint."""
    try:
        m = re.search(r"^Pss:\s+(\d+) kB", Path(f"/proc/{pid}/smaps_rollup").read_text(), re.M)
    except OSError:
        return 0
    return int(m.group(1)) if m else 0


def family_pss_kb(leader: int) -> int:
    return sum(pss_kb(p) for p in family_pids(leader))


class PeakSampler:
    """Polls ``measure()`` (kB) in a thread every ``interval`` seconds; ``peak`` is the largest
    value seen. For servers whose peak the kernel cannot tell (PostgreSQL's processes come and
    go), and as a check on VmHWM."""

    def __init__(self, measure, interval: float = 0.1):
        self._measure = measure
        self._interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._measure())
            self._stop.wait(self._interval)

    def __enter__(self) -> "PeakSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._measure())
