from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from network.listings.models import Closure, OpeningPeriod, Organization
from network.listings.schedules import opening_state, organizations_closed_on, organizations_open_at
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
# Tuesday 2 December 2025, 15:00 in Brussels.
TUESDAY_AFTERNOON = datetime(2025, 12, 2, 15, 0, tzinfo=BRUSSELS)


@pytest.fixture
def tuesday_desk():
    organization = OrganizationFactory(name="Permanence du mardi")
    OpeningPeriod.objects.create(
        organization=organization, weekday=1, opens_at=time(14), closes_at=time(18)
    )
    return organization


def test_open_during_a_weekly_period_and_closed_outside_it(tuesday_desk):
    evening = datetime(2025, 12, 2, 18, 0, tzinfo=BRUSSELS)
    wednesday = datetime(2025, 12, 3, 15, 0, tzinfo=BRUSSELS)
    queryset = Organization.objects.all()
    assert list(organizations_open_at(queryset, TUESDAY_AFTERNOON)) == [tuesday_desk]
    assert list(organizations_open_at(queryset, evening)) == []
    assert list(organizations_open_at(queryset, wednesday)) == []


def test_exceptional_closure_wins_over_the_weekly_period(tuesday_desk):
    Closure.objects.create(
        organization=tuesday_desk,
        starts_on=date(2025, 12, 1),
        ends_on=date(2025, 12, 7),
        reason="Congés",
    )
    assert list(organizations_open_at(Organization.objects.all(), TUESDAY_AFTERNOON)) == []
    assert list(organizations_closed_on(date(2025, 12, 7))) == [tuesday_desk]
    assert list(organizations_closed_on(date(2025, 12, 8))) == []
    state = opening_state(
        Organization.objects.prefetch_related("closures", "opening_periods").get(),
        TUESDAY_AFTERNOON,
    )
    assert (state.is_open, state.closure.reason) == (False, "Congés")


def test_period_that_ends_before_it_starts_is_refused(tuesday_desk):
    period = OpeningPeriod(
        organization=tuesday_desk, weekday=2, opens_at=time(18), closes_at=time(9)
    )
    with pytest.raises(ValidationError) as error:
        period.full_clean()
    assert "closes_at" in error.value.message_dict


def test_open_now_filter_and_listing_show_the_state(client):
    from django.utils import timezone

    today = timezone.localdate().weekday()
    always = OrganizationFactory(name="Toujours ouvert")
    OpeningPeriod.objects.create(
        organization=always, weekday=today, opens_at=time(0), closes_at=time(23, 59, 59)
    )
    OrganizationFactory(name="Sans horaires")
    html = client.get("/", {"open_now": "true"}).content.decode()
    assert "Toujours ouvert" in html and "Sans horaires" not in html
    assert "Ouvert maintenant" in html
    detail = client.get(f"/organisations/{always.slug}/").content.decode()
    assert "Ouvert maintenant" in detail
    assert "<time>00:00</time>–<time>23:59</time>" in detail


def test_listing_announces_upcoming_closures(client, tuesday_desk):
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.localdate() + timedelta(days=10)
    Closure.objects.create(
        organization=tuesday_desk,
        starts_on=start,
        ends_on=start + timedelta(days=3),
        reason="Inventaire",
    )
    html = client.get(f"/organisations/{tuesday_desk.slug}/").content.decode()
    assert "Fermetures exceptionnelles" in html and "Inventaire" in html
