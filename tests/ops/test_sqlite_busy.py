"""SQLite busy: while another writer holds the lock, submissions are retried or clearly refused.

A real server (gunicorn, 2 workers × 4 threads) on a SQLite file, with a short busy timeout so
the lock outlasts it. The test holds SQLite's write lock itself, as a long import would. Never a
500, never a request that is neither recorded nor clearly refused.
"""

import json
import re
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import dj_database_url
import httpx
import pytest

from bench.load import gunicorn, prepare_database, recorded_requests, run_burst

# Each attempt waits 0.2 s for the lock; retries go on for 3 s, then the answer is a 503.
BUSY = {
    "RELAIS_SQLITE_BUSY_TIMEOUT": "0.2",
    "RELAIS_DATABASE_BUSY_RETRIES": "50",
    "RELAIS_DATABASE_BUSY_BUDGET_SECONDS": "3",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    database_url = f"sqlite:///{tmp_path_factory.mktemp('busy') / 'busy.sqlite3'}"
    prepare_database(database_url, 50)
    with gunicorn(database_url, workers=2, threads=4, environment=BUSY) as base:
        yield base, database_url


def hold_write_lock(database_url: str, seconds: float) -> threading.Thread:
    """Take SQLite's write lock in another connection and keep it for `seconds`."""
    taken = threading.Event()

    def hold():
        connection = sqlite3.connect(dj_database_url.parse(database_url)["NAME"])
        connection.isolation_level = None
        connection.execute("BEGIN IMMEDIATE")
        taken.set()
        time.sleep(seconds)
        connection.execute("COMMIT")
        connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert taken.wait(10)
    return holder


def test_submissions_wait_for_a_lock_longer_than_the_busy_timeout_and_are_all_recorded(server):
    base, database_url = server
    holder = hold_write_lock(database_url, 1.0)
    result = run_burst(base, database_url, 24)
    holder.join()

    assert [s.status for s in result.samples if s.status != 201] == []
    assert sum(len(references) for references in result.recorded.values()) == 24
    assert result.lost == []
    assert result.wrong_references == []


def test_a_lock_held_past_the_budget_gets_a_clear_503_and_the_same_request_goes_through_after(
    server,
):
    base, database_url = server
    with httpx.Client(base_url=base, timeout=30) as client:
        token = client.get("/api/v1/contact-requests/form-token/").json()["form_token"]
        payload = {
            "name": "Camille",
            "email": "busy-api@example.net",
            "place": "5000",
            "intent": "volunteer",
            "consent": True,
            "form_token": token,
        }
        form_page = client.get("/je-veux-aider/")
        form_data = {
            "name": "Dominique",
            "email": "busy-form@example.net",
            "place": "5000",
            "intent": "volunteer",
            "consent": "on",
            "form_token": _field(form_page.text, "form_token"),
            "csrfmiddlewaretoken": _field(form_page.text, "csrfmiddlewaretoken"),
        }
        holder = hold_write_lock(database_url, 6.0)
        # Both at once, so that both find the lock held for longer than the retry budget.
        with ThreadPoolExecutor(max_workers=2) as pool:
            api = pool.submit(client.post, "/api/v1/contact-requests/", json=payload)
            form = pool.submit(
                client.post,
                "/je-veux-aider/",
                data=form_data,
                headers={"Referer": f"{base}/je-veux-aider/"},
            )
            refused, form_refused = api.result(), form.result()
        holder.join()
        # Sent again with the same form token once the lock is gone: recorded, once.
        accepted = client.post("/api/v1/contact-requests/", json=payload)

    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "5"
    assert json.loads(refused.text)["errors"]["__all__"] == [
        "Le site est très sollicité en ce moment et votre demande n'a pas encore été "
        "enregistrée. Renvoyez-la dans quelques secondes."
    ]
    assert form_refused.status_code == 503
    assert form_refused.headers["Retry-After"] == "5"
    assert "Le site est très sollicité en ce moment" in form_refused.text
    # The form comes back filled in: nothing the person typed is lost.
    assert 'value="Dominique"' in form_refused.text
    assert accepted.status_code == 201
    recorded = recorded_requests(database_url, "busy-")
    assert recorded == {"busy-api@example.net": [accepted.json()["reference"]]}


def _field(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, name
    return match.group(1)
