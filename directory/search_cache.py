"""Cached answers of the public search, keyed by the directory version.

A search answer depends on the directory (whose version moves with every write, see
network/infrastructure/directory_version.py), the query, the language, the address it is served at (links are
absolute) and the time (staleness and closures change with the day, « ouvert maintenant » with
the minute). The key holds all of these, so an entry is never invalidated: a write moves the
version and the old entries are simply never asked for again, then expire.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.http import quote_etag
from django.utils.translation import get_language

from network.infrastructure.directory_version import directory_version

# Filters whose answer changes within the day without any write.
MINUTE_FILTERS = frozenset({"open_now"})


@dataclass(frozen=True)
class SearchAnswerKey:
    """Where a search answer is cached, its ETag, and the moment it may last have changed."""

    cache_key: str
    etag: str
    last_modified: datetime

    def get(self) -> Any:
        """The cached answer, or None."""
        return cache.get(self.cache_key)

    def store(self, answer: Any) -> None:
        """Keep an answer for RELAIS_SEARCH_CACHE_SECONDS (0 keeps nothing)."""
        if settings.RELAIS_SEARCH_CACHE_SECONDS > 0:
            cache.set(self.cache_key, answer, settings.RELAIS_SEARCH_CACHE_SECONDS)


def search_answer_key(
    request: HttpRequest, namespace: str, variant: str = "", *, shows_opening: bool = False
) -> SearchAnswerKey:
    """The key of this request's answer; reads the directory version (one small query).

    `shows_opening`: the answer says which listings are open now, so it holds for a minute.

    The version is read before the answer is computed, so an answer computed during a write is
    filed under the older version at worst, never the newer one.
    """
    version = directory_version()
    now = timezone.localtime()
    if shows_opening or MINUTE_FILTERS.intersection(request.GET):
        moment_start = now.replace(second=0, microsecond=0)
    else:
        moment_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    query = sorted((name, value) for name, values in request.GET.lists() for value in values)
    parts = (
        namespace,
        variant,
        # The time too: a database restored from a backup starts again from an older number.
        version.number,
        version.changed_at.isoformat(),
        request.build_absolute_uri(request.path),
        query,
        get_language(),
        moment_start.isoformat(),
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:40]
    return SearchAnswerKey(
        cache_key=f"relais:search:{digest}",
        etag=quote_etag(digest),
        last_modified=max(version.changed_at, moment_start),
    )
