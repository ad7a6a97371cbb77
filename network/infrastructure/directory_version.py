"""The directory version: one counter that moves with every write the public search can see.

"Directory" here is the public directory's search answers (directory/search_cache.py keys its
cached answers by this number); writers move it, the search reads it.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection
from django.db.models import F
from django.utils import timezone

from network.infrastructure.models import DirectoryVersion

# Read on every search request, cached answer or not: a plain query skips the ORM's query
# compilation, which costs ten times the lookup itself on this hot path.
VERSION_SQL = "SELECT number, changed_at FROM {table} WHERE id = %s"


@dataclass(frozen=True)
class Version:
    """The directory version as read: its number and when it last moved."""

    number: int
    changed_at: datetime


def directory_version() -> Version:
    """The current version (one primary-key lookup); version 0 if none was written yet."""
    with connection.cursor() as cursor:
        cursor.execute(
            VERSION_SQL.format(table=connection.ops.quote_name(DirectoryVersion._meta.db_table)),
            [DirectoryVersion.SINGLETON_ID],
        )
        row = cursor.fetchone()
    if row is None:
        return Version(number=0, changed_at=datetime(2000, 1, 1, tzinfo=UTC))
    number, changed_at = row
    if timezone.is_naive(changed_at):
        # SQLite hands back naive UTC datetimes; PostgreSQL aware ones.
        changed_at = timezone.make_aware(changed_at, UTC)
    return Version(number=number, changed_at=changed_at)


def directory_changed() -> None:
    """Record that something the public search shows has changed.

    Runs inside the caller's transaction: if the write rolls back, so does the new version, and
    no reader can see the new data under the old version. Saves, deletions and relation changes
    of the directory's models call this through network/listings/signals.py (wired in apps.py); bulk
    writes (imports), which send no signals, call it themselves.
    """
    updated = DirectoryVersion.objects.filter(pk=DirectoryVersion.SINGLETON_ID).update(
        number=F("number") + 1, changed_at=timezone.now()
    )
    if not updated:
        # A database created without migrations' data (e.g. flushed by a test): start at 1.
        DirectoryVersion.objects.get_or_create(
            pk=DirectoryVersion.SINGLETON_ID, defaults={"number": 1}
        )
