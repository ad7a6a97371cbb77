"""WSGI entry of the benchmark server: the site plus the floor views of bench/urls.py."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402 - settings are ready only after the line above

settings.ROOT_URLCONF = "bench.urls"
