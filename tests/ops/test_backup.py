"""A backup is only worth the restore that was tried: this one is, on every CI run."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def run(arguments: list[str], database_url: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


def count(database_url: str, table: str) -> int:
    code = f"from django.db import connection; c = connection.cursor(); c.execute('SELECT COUNT(*) FROM {table}'); print(c.fetchone()[0])"
    environment_module = "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); django.setup(); "
    return int(run(["-c", environment_module + code], database_url).stdout.strip())


@pytest.fixture
def database_pair(tmp_path):
    """Two throwaway databases of the engine under test: a source and a restore target."""
    if connection.vendor == "postgresql":
        import psycopg

        settings = connection.settings_dict
        base = f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
        names = [f"relais_backup_{uuid.uuid4().hex[:8]}" for _ in range(2)]
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f"CREATE DATABASE {name}")
        yield [f"{base}/{name}" for name in names]
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    else:
        yield [
            f"sqlite:///{tmp_path / 'source.sqlite3'}",
            f"sqlite:///{tmp_path / 'restored.sqlite3'}",
        ]


def test_a_dump_restores_into_an_empty_database_with_every_row(database_pair, tmp_path):
    source, target = database_pair
    run(["manage.py", "migrate", "--noinput", "-v0"], source)
    run(["manage.py", "load_gazetteer"], source)
    run(["manage.py", "seed_demo"], source)
    backup_file = tmp_path / "relais.backup"

    run(["-m", "ops.backup", "dump", str(backup_file)], source)
    assert backup_file.stat().st_size > 10_000
    restored = run(["-m", "ops.backup", "restore", str(backup_file)], target)

    assert "Restauration terminée" in restored.stdout
    for table in (
        "maps_municipality",
        "maps_postalcode",
        "network_organization",
        "network_openingperiod",
    ):
        assert count(target, table) == count(source, table) > 0
    # The restored database is usable by the application as it is.
    checked = run(["manage.py", "migrate", "--check", "--noinput"], target)
    assert checked.returncode == 0


def test_restoring_a_missing_file_says_so_and_changes_nothing(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "ops.backup", "restore", str(tmp_path / "absent.backup")],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'untouched.sqlite3'}"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Sauvegarde introuvable" in result.stderr
    assert not (tmp_path / "untouched.sqlite3").exists()
