"""Page-number pagination answering `count`, `next`, `previous`, `results`; URL lookups."""

import re

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


def _positive_int_or_error(request, name: str) -> int | None:
    """The query parameter as a positive integer, None when absent, 400 when malformed."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise ValidationError({name: [_("Un nombre entier positif est attendu.")]})
    return int(raw)


class RelaisPagination(PageNumberPagination):
    """20 items a page by default; `page_size` asks for up to 100.

    GeoJSON pages are larger (a map wants many points at once) but still bounded, so a single
    request can never make the server render the whole directory.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    geojson_page_size = 500
    geojson_max_page_size = 1000

    def get_page_size(self, request):
        requested = _positive_int_or_error(request, self.page_size_query_param)
        renderer = getattr(request, "accepted_renderer", None)
        if renderer is not None and renderer.format == "geojson":
            return min(requested or self.geojson_page_size, self.geojson_max_page_size)
        return min(requested or self.page_size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        # A malformed page number is a bad request (400); a page past the end stays a 404.
        _positive_int_or_error(request, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    "Éléments par page (20 par défaut, 100 au plus ; 1000 en GeoJSON)."
                )
        return parameters


_SLUG = re.compile(r"^[-\w]{1,220}$", re.ASCII)


def slug_or_404(value: str) -> str:
    """The URL's slug if it can be one; anything else (NUL bytes included) is a 404."""
    if not _SLUG.match(value):
        raise Http404
    return value
