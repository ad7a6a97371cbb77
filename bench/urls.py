"""The site's URLs plus the framework floors: trivial JSON views served by the same stack."""

from django.http import JsonResponse
from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import urlpatterns as site_urlpatterns


def floor(request):
    """The cheapest answer Django gives through the same middleware: the framework floor."""
    return JsonResponse({"ok": True})


class ApiFloor(APIView):
    """The cheapest answer of the API's stack (DRF with its authentication and throttling)."""

    def get(self, request):
        return Response({"ok": True})


urlpatterns = [
    path("bench/floor/", floor),
    path("bench/api-floor/", ApiFloor.as_view()),
    *site_urlpatterns,
]
