from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from directory.views import favicon

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", favicon),
    path("api/v1/", include("directory.api.urls")),
    # The member space (/espace/) and staff pages (/equipe/).
    path("", include("network.urls")),
    path("reponse/", include("network.answer_urls")),
    path("", include("directory.urls")),
]
# In development the site serves uploads itself; in production nginx does (docs/deploy.md).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
