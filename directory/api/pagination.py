"""Page-number pagination answering `count`, `next`, `previous`, `results`."""

from rest_framework.pagination import PageNumberPagination


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
        renderer = getattr(request, "accepted_renderer", None)
        if renderer is not None and renderer.format == "geojson":
            requested = request.query_params.get(self.page_size_query_param)
            if requested and requested.isdigit() and int(requested) > 0:
                return min(int(requested), self.geojson_max_page_size)
            return self.geojson_page_size
        return super().get_page_size(request)
