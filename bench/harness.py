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

    With DATABASE_URL set to PostgreSQL, a separate database named after it plus "_bench" is
    used on the same server (dropped and created again), so runs against different databases
    never collide. Otherwise a temporary SQLite file.
    """
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg
        from psycopg import sql

        base, _, name = url.rpartition("/")
        bench_name = f"{name.split('?', 1)[0] or 'relais'}_bench"
        # The maintenance database: the one named in DATABASE_URL need not exist.
        with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
            database = sql.Identifier(bench_name)
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
            connection.execute(sql.SQL("CREATE DATABASE {}").format(database))
        os.environ["DATABASE_URL"] = f"{base}/{bench_name}"
        return "PostgreSQL"
    path = Path(tempfile.mkdtemp(prefix="relais-bench-")) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    return "SQLite"
