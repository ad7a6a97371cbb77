from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from maps.models import Province
from network.listings.models import Organization

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


def test_seed_demo_adds_fictitious_requests_with_histories_once(client):
    from collections import Counter as Tally

    from network.contact.models import ContactRequest, ContactRequestEvent
    from tests.factories import StaffFactory

    call_command("seed_demo", verbosity=0)
    requests = ContactRequest.objects.all()
    assert requests.count() == 36
    assert set(Tally(requests.values_list("status", flat=True))) >= {
        "new",
        "routed",
        "accepted",
        "declined",
        "expired",
        "closed",
    }
    assert all(r.email.endswith("@example.org") and "Exemple" in r.name for r in requests)
    # Every request's status is the last step of its history, and timestamps follow each other.
    for request in requests.prefetch_related("events"):
        events = list(request.events.all())
        assert events[0].to_status == "new" and events[-1].to_status == request.status
        assert [e.created_at for e in events] == sorted(e.created_at for e in events)
        assert events[0].created_at == request.created_at
    events = ContactRequestEvent.objects.count()
    call_command("seed_demo", verbosity=0)
    assert ContactRequest.objects.count() == 36
    assert ContactRequestEvent.objects.count() == events

    client.force_login(StaffFactory())
    page = client.get("/equipe/tableau-de-bord/").content.decode()
    assert "36 demandes reçues sur la période." in page
