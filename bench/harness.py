"""What every benchmark shares: a throwaway database, a dataset, timing and the report table."""

import atexit
import os
import shutil
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


def throwaway_database_url(url: str, suffix: str) -> str:
    """The URL of a scratch PostgreSQL database named after the one in `url`: <name>_<suffix>.

    Deriving the name keeps runs against different databases of one server (a developer's,
    CI's, a colleague's benchmark) from dropping each other's scratch database.
    """
    base, _, name = url.partition("?")[0].rpartition("/")
    return f"{base}/{name or 'relais'}_{suffix}"


def create_postgres_database(url: str, suffix: str) -> str:
    """Drop and create <name>_<suffix> on the server of `url`; returns its URL."""
    import psycopg

    scratch = throwaway_database_url(url, suffix)
    base, _, name = scratch.rpartition("/")
    # The maintenance database: the one of DATABASE_URL need not exist (pytest makes test_<name>).
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return scratch


def drop_postgres_database(url: str) -> None:
    """Drop a scratch database made by create_postgres_database (from the server's postgres db)."""
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def configure_database(suffix: str = "bench") -> str:
    """Point Django at a throwaway database before it starts; never the developer's db.sqlite3.

    With DATABASE_URL set to PostgreSQL, a separate database named after it (relais_bench for
    .../relais, test_bench for .../test) is used on the same server, dropped and created again.
    Otherwise a temporary SQLite file.
    """
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        os.environ["DATABASE_URL"] = create_postgres_database(url, suffix)
        return "PostgreSQL"
    folder = tempfile.mkdtemp(prefix=f"relais-{suffix}-")
    # A 100k-listing database weighs about 80 MB: it goes when the run ends.
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = Path(folder) / f"{suffix}.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    return "SQLite"
