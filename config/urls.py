import os

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from directory.views import favicon

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", favicon),
    path("api/v1/", include("directory.api.urls")),
    # The member space (/espace/) and staff pages (/equipe/).
    path("", include("network.urls")),
    path("reponse/", include("network.contact.urls")),
    path("", include("directory.urls")),
]
# In development the site serves uploads itself; in production nginx does (docs/deploy.md).
# `make run` runs without DEBUG (to show the real error pages) and asks for it explicitly.
if settings.DEBUG or os.environ.get("RELAIS_SERVE_MEDIA") == "1":
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
