"""Back up and restore the Relais database named by DATABASE_URL.

    python -m ops.backup dump  FILE     # PostgreSQL: pg_dump custom format; SQLite: online copy
    python -m ops.backup restore FILE   # into the (empty or existing) database of DATABASE_URL

PostgreSQL uses pg_dump/pg_restore from the server's own major version, so a dump restores on a
new machine; SQLite uses the online backup API, safe while the site is writing. docs/deploy.md
says how to schedule it; tests/ops/test_backup.py restores a real dump on every CI run.
"""

import argparse
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse


def _database_url() -> str:
    return (
        os.environ.get("DATABASE_URL")
        or f"sqlite:///{Path(__file__).resolve().parent.parent / 'db.sqlite3'}"
    )


def _sqlite_path(url: str) -> Path:
    return Path(
        urlparse(url).path if url.startswith("sqlite:////") else url.removeprefix("sqlite:///")
    )


def _postgres_arguments(url: str) -> list[str]:
    # libpq understands the URL itself (user, password, host, port, database).
    return ["--dbname", url.replace("postgres://", "postgresql://", 1)]


def dump(target: Path) -> None:
    """Write a consistent backup of the database to `target`."""
    url = _database_url()
    if url.startswith(("postgres://", "postgresql://")):
        subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--file",
                str(target),
                *_postgres_arguments(url),
            ],
            check=True,
        )
        return
    source = sqlite3.connect(_sqlite_path(url))
    destination = sqlite3.connect(target)
    with destination:
        source.backup(destination)
    source.close()
    destination.close()


def restore(source: Path) -> None:
    """Replace the database's content with the backup in `source`."""
    if not source.exists():
        raise SystemExit(f"Sauvegarde introuvable : {source}")
    url = _database_url()
    if url.startswith(("postgres://", "postgresql://")):
        subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--exit-on-error",
                *_postgres_arguments(url),
                str(source),
            ],
            check=True,
        )
        return
    backup = sqlite3.connect(source)
    database = sqlite3.connect(_sqlite_path(url))
    with database:
        backup.backup(database)
    backup.close()
    database.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ops.backup", description=__doc__.splitlines()[0]
    )
    parser.add_argument("action", choices=["dump", "restore"])
    parser.add_argument("file", type=Path)
    options = parser.parse_args(argv)
    try:
        (dump if options.action == "dump" else restore)(options.file)
    except subprocess.CalledProcessError as error:
        print(f"Échec de {error.cmd[0]} (code {error.returncode}).", file=sys.stderr)
        return 1
    print(
        f"{'Sauvegarde écrite' if options.action == 'dump' else 'Restauration terminée'} : {options.file}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
