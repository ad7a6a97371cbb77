"""Reading the directory version, the key of cached search answers."""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection
from django.utils import timezone

from network.models import DirectoryVersion

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
