"""Writes that find the database busy are tried again; past a budget the caller gets an answer.

SQLite lets one writer in at a time. Writers normally queue behind the busy timeout (see
DATABASES in config/settings.py); when the lock is still held after it, or SQLite refuses at
once, the whole transaction is run again from the start with a short, jittered pause. When the
retries or the time budget run out, DatabaseBusy tells the view to answer 503 with Retry-After:
nothing was written, and the citizen still has everything they typed.
"""

import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import OperationalError, connection

T = TypeVar("T")

# Seconds a client is asked to wait before sending again (Retry-After).
RETRY_AFTER_SECONDS = 5


class DatabaseBusy(Exception):
    """The database stayed locked by other writers: nothing was written; send again shortly."""

    retry_after = RETRY_AFTER_SECONDS


def is_busy(error: BaseException) -> bool:
    """Whether an error is SQLite saying another connection holds the lock."""
    if not isinstance(error, OperationalError) or connection.vendor != "sqlite":
        return False
    message = str(error).lower()
    return "locked" in message or "busy" in message


def retry_when_busy(write: Callable[[], T]) -> T:
    """Run `write` (one whole transaction), again while the database is busy, within the budget.

    Inside an outer transaction nothing can be retried (the outer one is already spoilt), so a
    busy database then raises DatabaseBusy at once.
    """
    started = time.monotonic()
    attempt = 0
    while True:
        try:
            return write()
        except OperationalError as error:
            if not is_busy(error):
                raise
            attempt += 1
            elapsed = time.monotonic() - started
            if (
                connection.in_atomic_block
                or attempt > settings.RELAIS_DATABASE_BUSY_RETRIES
                or elapsed >= settings.RELAIS_DATABASE_BUSY_BUDGET_SECONDS
            ):
                raise DatabaseBusy from error
            # Jitter so that writers which failed together do not all come back together.
            time.sleep(random.uniform(0.05, 0.2) * attempt)
