"""What every benchmark shares: a throwaway database, a dataset, timing and the report table."""

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Row:
    """One measured line of the report."""

    benchmark: str
    size: int
    measure: str
    value: str
    target: str = ""
    met: bool | None = None


@dataclass
class Report:
    """The table printed at the end of a run."""

    database: str
    rows: list[Row] = field(default_factory=list)

    def add(self, *args, **kwargs) -> None:
        self.rows.append(Row(*args, **kwargs))

    def render(self) -> str:
        header = ("benchmark", "listings", "measure", "value", "target", "met")
        lines = [header] + [
            (
                r.benchmark,
                f"{r.size:,}",
                r.measure,
                r.value,
                r.target,
                "" if r.met is None else ("yes" if r.met else "NO"),
            )
            for r in self.rows
        ]
        widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
        out = [f"Database: {self.database}"]
        for index, line in enumerate(lines):
            out.append(" | ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(line)))
            if index == 0:
                out.append("-+-".join("-" * w for w in widths))
        return "\n".join(out)


def median_ms(function: Callable[[], object], repeat: int = 15, warmup: int = 2) -> float:
    """Median wall time of a call, in milliseconds, after a few warm-up calls."""
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def configure_database() -> str:
    """Point Django at a throwaway database before it starts; never the developer's db.sqlite3.

    With DATABASE_URL set to PostgreSQL, a separate database named relais_bench is used on the
    same server (dropped and created again). Otherwise a temporary SQLite file.
    """
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, _, _name = url.rpartition("/")
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("DROP DATABASE IF EXISTS relais_bench WITH (FORCE)")
            connection.execute("CREATE DATABASE relais_bench")
        os.environ["DATABASE_URL"] = f"{base}/relais_bench"
        return "PostgreSQL"
    path = Path(tempfile.mkdtemp(prefix="relais-bench-")) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    return "SQLite"
