"""The site's URLs plus the framework floor: a trivial JSON view served by the same stack."""

from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def floor(request):
    """The cheapest answer Django gives through the same middleware: the framework floor."""
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/floor/", floor), *site_urlpatterns]
