"""Shared fixtures. The real gazetteer is loaded once per test database, never hand-made communes."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from maps.models import Municipality


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the 261 municipalities and 606 postal codes once, after the migrations.

    The database is then serialized again, so that tests with serialized rollback (the browser
    tests, whose transactions are really committed and then flushed) start from the gazetteer
    and the taxonomy, not from an empty database.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        call_command("load_gazetteer", verbosity=0)
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()


# Every test runs at this instant (a Wednesday morning in Brussels), and its clock moves on from
# there: nothing a test checks may depend on the day the suite runs. CI runs the suite a second
# time under libfaketime at another date, so that a test escaping this freeze shows.
FROZEN_NOW = datetime(2026, 11, 18, 9, 30, tzinfo=ZoneInfo("Europe/Brussels"))


@pytest.fixture(autouse=True)
def frozen_clock():
    """The clock starts at FROZEN_NOW in each test; `frozen_clock.shift(...)` moves it."""
    with time_machine.travel(FROZEN_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def commune():
    """Look up a real commune by its French name: commune("Namur")."""

    def lookup(name: str) -> Municipality:
        return Municipality.objects.get(name_fr=name)

    return lookup


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and cached pages must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def run_queued_tasks(limit: int = 500) -> int:
    """Run every due task in this process, as `manage.py db_worker` would; returns how many."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="pytest",
        excluded_queue_names=[],
    )
    done = 0
    while done < limit:
        result = DBTaskResult.objects.ready().order_by("enqueued_at").first()
        if result is None:
            return done
        result.claim(worker.worker_id)
        worker.run_task(result)
        done += 1
    raise AssertionError("tasks keep re-enqueueing themselves")


@pytest.fixture
def run_tasks():
    """Run the due background tasks (e-mail delivery, timers) like the worker does."""
    return run_queued_tasks


@pytest.fixture
def immediate_tasks(settings):
    """Run enqueued tasks at once (e-mails land in mail.outbox) instead of in the worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
