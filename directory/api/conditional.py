"""ETag and Last-Modified on GET answers, and 304 Not Modified for conditional requests."""

import hashlib
from datetime import datetime

from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language


def make_etag(*parts: object) -> str:
    """A strong ETag over the parts that decide the answer, plus the active language."""
    digest = hashlib.sha256(repr((*parts, get_language())).encode()).hexdigest()[:32]
    return quote_etag(digest)


class ConditionalGetMixin:
    """Views compute a validator before the expensive query; a matching client gets a 304.

    The validators are stored on the view and written on the answer by finalize_response, so
    the full answer and the 304 carry the same ETag and Last-Modified.
    """

    etag: str | None = None
    last_modified: datetime | None = None

    def not_modified(self, request, etag: str, last_modified: datetime | None):
        """The 304 answer when the client's copy is current, else None (and remember both)."""
        self.etag, self.last_modified = etag, last_modified
        timestamp = int(last_modified.timestamp()) if last_modified else None
        return get_conditional_response(request._request, etag=etag, last_modified=timestamp)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code in (200, 304):
            if self.etag:
                response["ETag"] = self.etag
            if self.last_modified:
                response["Last-Modified"] = http_date(self.last_modified.timestamp())
            # Answers differ by language (labels) and must not be shared across users' sessions.
            patch_vary_headers(response, ["Accept", "Accept-Language", "Cookie", "Authorization"])
        return response
