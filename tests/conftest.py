"""Shared fixtures. The real gazetteer is loaded once per test database, never hand-made communes."""

import pytest
from django.core.management import call_command

from maps.models import Municipality


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the 261 municipalities and 606 postal codes once, after the migrations."""
    with django_db_blocker.unblock():
        call_command("load_gazetteer", verbosity=0)


@pytest.fixture
def commune():
    """Look up a real commune by its French name: commune("Namur")."""

    def lookup(name: str) -> Municipality:
        return Municipality.objects.get(name_fr=name)

    return lookup


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and cached pages must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
