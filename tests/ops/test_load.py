"""Load: gunicorn with 2 workers on 127.0.0.1 under a bounded asyncio load (bench/load.py).

The server runs on its own scratch database (a temporary SQLite file, or <name>_load on the
PostgreSQL server of DATABASE_URL), so it is a real multi-process deployment; what it recorded is
read back from that database. Requests per second and p95 per kind are printed (pytest -s).
"""

import pytest

from bench.load import (
    gunicorn,
    prepare_database,
    receipts_queued,
    run_burst,
    run_mixed_load,
    summary_lines,
    throwaway_database,
)

ORGANIZATIONS = 300


@pytest.fixture(scope="module")
def server():
    """Base URL and database URL of gunicorn (2 sync workers) serving a scratch database."""
    with throwaway_database("load") as database_url:
        prepare_database(database_url, ORGANIZATIONS)
        with gunicorn(database_url, workers=2) as base:
            yield base, database_url


def test_mixed_load_gives_no_error_and_loses_no_submission(server):
    base, database_url = server
    result = run_mixed_load(base, database_url, users=12, duration=12, max_requests=1500)
    print("\n" + "\n".join(summary_lines(result)))

    assert result.server_errors == []
    assert result.no_answer == []
    assert {sample.status for sample in result.samples} <= {200, 201, 302}
    assert set(result.by_kind()) >= {
        "search page /?near=",
        "search API ?near=",
        "listing page",
        "submission (form)",
        "submission (API)",
    }
    # Every submission was accepted and is in the database exactly once, under its reference.
    assert result.submissions
    assert len(result.accepted) == len(result.submissions)
    assert sorted(result.recorded) == sorted(s.email for s in result.submissions)
    assert result.lost == []
    assert result.duplicates == 0
    assert result.wrong_references == []


def test_concurrent_submissions_are_all_recorded(server):
    base, database_url = server
    result = run_burst(base, database_url, 200)
    print("\n" + "\n".join(summary_lines(result)))

    assert [s.status for s in result.samples if s.status != 201] == []
    assert sum(len(references) for references in result.recorded.values()) == 200
    # Each of the 200 people gets a receipt (queued for the e-mail worker).
    assert receipts_queued(database_url, result.submissions[0].email.rsplit("-", 1)[0]) == 200
    assert result.lost == []
    assert result.duplicates == 0
    assert result.wrong_references == []
