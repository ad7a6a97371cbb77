from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from maps.models import Province
from network.models import Organization

pytestmark = pytest.mark.django_db


def test_seed_demo_covers_provinces_kinds_and_visibilities_and_is_idempotent():
    call_command("seed_demo", verbosity=0)
    organizations = Organization.objects.select_related("municipality")
    assert organizations.count() >= 60
    assert set(Counter(o.municipality.province for o in organizations)) == set(Province.values)
    assert set(o.kind for o in organizations) == set(Organization.Kind.values)
    assert set(o.address_visibility for o in organizations) == {"exact", "commune"}
    assert all(o.is_example and "exemple" in o.name for o in organizations)
    assert all(o.description and o.schedule for o in organizations)
    assert organizations.filter(needs__isnull=False).distinct().count() > 30

    before = organizations.count()
    call_command("seed_demo", verbosity=0)
    assert Organization.objects.count() == before
    assert get_user_model().objects.filter(is_staff=True).count() == 1
