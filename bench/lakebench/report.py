"""The result: one markdown table, one row per workload measurement, with lakegate, DuckDB
in-process and PostgreSQL side by side and the ratios lakegate/DuckDB and lakegate/PostgreSQL of
figures measured in the same run; then each target with its verdict, then the details (per-query
TPC-H times, which side bounded each streaming figure, …) and the machine.

A ratio is lakegate's figure divided by the other's, of the figure the row shows: for a rate
(rows/s, queries/s) above 1 means lakegate is faster; for a time, latency or memory below 1 means
lakegate is faster or smaller. The ``better`` column says which way each row reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Cell:
    """One contender's figure: ``value`` (for ratios; None when not measured or capped) and
    how it is shown."""

    value: float | None
    text: str

    @staticmethod
    def none(text: str = "—") -> "Cell":
        return Cell(None, text)


@dataclass
class Row:
    workload: str
    what: str
    lakegate: Cell
    duckdb: Cell
    postgres: Cell
    #: "higher" (rates) or "lower" (times, latencies, memory)
    better: str

    def ratio(self, other: Cell) -> str:
        if self.lakegate.value is None or other.value is None or other.value == 0:
            return "—"
        r = self.lakegate.value / other.value
        return f"{r:.2f}×" if r < 100 else f"{r:.0f}×"


@dataclass
class Target:
    """A target of the issue, and whether this run met it."""

    name: str
    wanted: str
    measured: str
    met: bool | None  # None: not measured


@dataclass
class Report:
    title: str
    rows: list[Row] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    machine: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        out = [f"# {self.title}", ""]
        out += [f"- **{k}**: {v}" for k, v in self.machine]
        out.append("")
        out.append("| workload | measurement | lakegate | DuckDB in-process | PostgreSQL 15 "
                   "| lakegate/DuckDB | lakegate/PostgreSQL | better |")
        out.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for r in self.rows:
            out.append(f"| {r.workload} | {r.what} | {r.lakegate.text} | {r.duckdb.text} | "
                       f"{r.postgres.text} | {r.ratio(r.duckdb)} | {r.ratio(r.postgres)} | {r.better} |")
        out.append("")
        if self.targets:
            out += ["## Targets (issue 6)", "", "| target | wanted | this run | met |", "| --- | --- | --- | --- |"]
            for t in self.targets:
                met = "—" if t.met is None else ("yes" if t.met else "**no**")
                out.append(f"| {t.name} | {t.wanted} | {t.measured} | {met} |")
            out.append("")
        if self.notes:
            out += ["## How to read it", ""] + [f"- {n}" for n in self.notes] + [""]
        for d in self.details:
            out += [d.rstrip(), ""]
        return "\n".join(out).rstrip() + "\n"


# ---------------------------------------------------------------------------------------------
# number formatting


def rate(v: float | None, unit: str = "rows/s") -> str:
    if v is None:
        return "—"
    if v >= 1e6:
        return f"{v / 1e6:.2f} M {unit}"
    if v >= 1e3:
        return f"{v / 1e3:.1f} k {unit}"
    return f"{v:.0f} {unit}"


def seconds(v: float | None) -> str:
    if v is None:
        return "—"
    if v < 1:
        return f"{v * 1000:.0f} ms"
    return f"{v:.2f} s"


def millis(v: float | None) -> str:
    if v is None:
        return "—"
    if v < 1:
        return f"{v:.3f} ms"
    if v < 10:
        return f"{v:.2f} ms"
    return f"{v:.1f} ms"


def megabytes(kb: float | None) -> str:
    if kb is None:
        return "—"
    return f"{kb / 1024:.0f} MB"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A markdown table."""
    out = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)
