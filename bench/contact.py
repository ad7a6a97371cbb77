"""Contact submission with routing: the API POST against the floors, then 500 at once on gunicorn.

Over HTTP to one gunicorn worker, like bench/search.py: one API submission that is routed among
the organisations of the dataset, against the framework floor (the trivial JSON view on the same
server); in process, the data floor (the very SQL statements the submission runs, replayed on
the cursor) and the routing selector alone. On a real server (gunicorn, 2 workers, 127.0.0.1, the same database): 500
submissions in flight at once from an asyncio client, each checked against the database.
"""

import os

from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from bench.harness import Report, median_ms
from bench.load import p95, run_burst
from bench.search import BENCH_APPLICATION
from bench.server import gunicorn, http_median_ms
from directory.forms import issue_form_token
from maps.places import resolve_place
from network.contact.models import ContactRequest
from network.contact.routing import routing_candidates

PLACE = "5000"
INTENT = "volunteer"
URL = "/api/v1/contact-requests/"
CONCURRENT = 500
# The anti-abuse limits would refuse a benchmark's hundreds of submissions from one address.
LIMITS_LIFTED = override_settings(
    RELAIS_CONTACT_MIN_FILL_SECONDS=0,
    RELAIS_CONTACT_RATE_PER_IP=10**9,
    RELAIS_CONTACT_RATE_PER_EMAIL=10**9,
)
# Transaction control is the database's part of the floor only through the replay's own atomic.
_CONTROL = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")


class _Submissions:
    """Fresh, valid API bodies: a new form token and e-mail each time."""

    def __init__(self, size: int):
        self.size, self.number = size, 0

    def __call__(self) -> dict:
        self.number += 1
        return {
            "name": f"Banc {self.number}",
            "email": f"bench-{self.size}-{self.number}@example.net",
            "place": PLACE,
            "intent": INTENT,
            "consent": True,
            "message": "Demande fictive du banc d'essai.",
            "form_token": issue_form_token(),
        }


def _post(client: Client, body: dict) -> None:
    response = client.post(URL, body, content_type="application/json")
    if response.status_code != 201:
        raise RuntimeError(f"submission refused: {response.status_code} {response.content[:300]}")


def _data_floor_ms(client: Client, bodies: _Submissions) -> float:
    """The statements one submission runs, captured once, then replayed raw in a transaction.

    Both the capture and each replay are rolled back, so the floor leaves no rows and omits the
    commit (the submission itself commits).
    """
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        _post(client, bodies())
        transaction.set_rollback(True)
    statements = [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].lstrip().upper().startswith(_CONTROL)
    ]

    def replay():
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
            transaction.set_rollback(True)

    return median_ms(replay)


def _routing_ms() -> float:
    place = resolve_place(PLACE)
    request = ContactRequest(
        intent=INTENT,
        municipality_id=place.municipality_id,
        latitude=place.latitude,
        longitude=place.longitude,
    )
    return median_ms(lambda: routing_candidates(request, limit=1))


def run(report: Report, size: int) -> None:
    """Measure a routed contact submission at this many organisations, then 500 at once."""
    bodies = _Submissions(size)
    with LIMITS_LIFTED:
        data_floor = _data_floor_ms(Client(), bodies)
    routing = _routing_ms()
    # Over HTTP to one sync worker, like the near-me search: one request at a time.
    connection.close()  # SQLite: the server must not wait for this process's lock
    with gunicorn(os.environ["DATABASE_URL"], workers=1, application=BENCH_APPLICATION) as base:
        floor = http_median_ms(base, "/bench/floor/")
        submission = http_median_ms(base, URL, method="POST", body=bodies, expect=201)
    at_target_size = size >= 10_000
    name = "contact"
    report.add(name, size, "framework floor: trivial Django JSON view", f"{floor:.2f} ms")
    report.add(name, size, "data floor (its SQL replayed, rolled back)", f"{data_floor:.2f} ms")
    report.add(name, size, "routing selector alone", f"{routing:.2f} ms")
    report.add(name, size, f"API submission, routed ({PLACE}, {INTENT})", f"{submission:.2f} ms")
    report.add(
        name,
        size,
        "submission / framework floor",
        f"{submission / floor:.1f}x",
        "<= 3x" if at_target_size else "",
        submission / floor <= 3 if at_target_size else None,
    )
    report.add(name, size, "submission / data floor", f"{submission / data_floor:.1f}x")
    _concurrent(report, size)


def _concurrent(report: Report, size: int) -> None:
    label = f"{CONCURRENT} concurrent (gunicorn 2 workers)"
    database_url = os.environ["DATABASE_URL"]
    # The in-process connection must not hold SQLite's lock while the server writes.
    connection.close()
    with gunicorn(database_url, workers=2) as base:
        result = run_burst(base, database_url, CONCURRENT)
    times = [sample.seconds * 1000 for sample in result.samples]
    report.add("contact", size, f"{label}: wall time", f"{result.elapsed:.1f} s")
    report.add(
        "contact", size, f"{label}: submissions/s", f"{len(result.samples) / result.elapsed:.1f}"
    )
    report.add("contact", size, f"{label}: p95", f"{p95(times):.0f} ms")
    server_errors = len(result.server_errors) + len(result.no_answer)
    report.add(
        "contact", size, f"{label}: 5xx or no answer", str(server_errors), "0", server_errors == 0
    )
    recorded = sum(len(references) for references in result.recorded.values())
    report.add(
        "contact",
        size,
        f"{label}: accepted / in database",
        f"{len(result.accepted)} / {recorded}",
    )
    lost = len(result.lost) + len(result.wrong_references) + result.duplicates
    report.add("contact", size, f"{label}: lost", str(lost), "0", lost == 0)
