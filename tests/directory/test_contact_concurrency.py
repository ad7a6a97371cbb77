"""200 parallel submissions to a live server on PostgreSQL: 200 requests, 200 receipts, no 5xx."""

import json
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connection

from directory.forms import issue_form_token
from network.contact.models import ContactRequest
from network.outbox.models import OutboundEmail
from tests.conftest import run_queued_tasks
from tests.factories import OrganizationFactory, real_commune

SUBMISSIONS = 200
# Bounded so the server's database connections stay under PostgreSQL's default limit of 100.
PARALLEL = 40


def post(url: str, payload: dict) -> int:
    """POST like a browser would; a connection the test server's small backlog dropped is retried.

    Retrying is safe because the form token makes a replay return the first request.
    """
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    for attempt in range(10):
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except (ConnectionError, urllib.error.URLError):
            time.sleep(0.05 * (attempt + 1))
    return 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_200_parallel_submissions_lose_nothing(live_server, settings):
    if connection.vendor != "postgresql":
        # The live server shares the in-memory test database's one connection between its
        # threads; SQLite's concurrent writers are load-tested on gunicorn with a file database
        # instead (tests/ops/test_load.py, tests/ops/test_sqlite_busy.py).
        pytest.skip(
            "needs PostgreSQL (the in-memory SQLite test database has one shared connection); "
            "SQLite is covered by tests/ops/test_load.py on gunicorn"
        )
    settings.RELAIS_CONTACT_MIN_FILL_SECONDS = 0
    settings.RELAIS_CONTACT_RATE_PER_IP = SUBMISSIONS * 2
    gembloux = real_commune("Gembloux")
    for number in range(3):
        OrganizationFactory(slug=f"chauffeurs-{number}", needs=["drivers"], municipality=gembloux)
    payloads = [
        {
            "name": f"Personne {number}",
            "email": f"personne{number}@example.net",
            "place": "5030",
            "intent": "drive",
            "consent": True,
            "form_token": issue_form_token(),
            "message": "Disponible le soir",
        }
        for number in range(SUBMISSIONS)
    ]
    url = f"{live_server.url}/api/v1/contact-requests/"
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        statuses = list(pool.map(lambda payload: post(url, payload), payloads, timeout=300))
    assert [status for status in statuses if status >= 500 or status == 0] == []
    # 201, or 200 when a dropped connection was retried after the server had already recorded it.
    assert set(statuses) <= {200, 201}
    assert ContactRequest.objects.count() == SUBMISSIONS
    assert ContactRequest.objects.values("reference").distinct().count() == SUBMISSIONS
    assert OutboundEmail.objects.filter(kind="receipt").count() == SUBMISSIONS
    # Every request went to one of the three collectives (how evenly depends on timing).
    assigned = set(ContactRequest.objects.values_list("assigned_organization__slug", flat=True))
    assert assigned <= {"chauffeurs-0", "chauffeurs-1", "chauffeurs-2"}
    run_queued_tasks(limit=2 * SUBMISSIONS + 10)
    receipts = [m for m in mail.outbox if "bien reçue" in m.subject]
    assert len(receipts) == SUBMISSIONS
    assert len({tuple(m.to) for m in receipts}) == SUBMISSIONS
