import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from network.listings.models import Organization
from tests.factories import MembershipFactory, OrganizationFactory, real_commune

pytestmark = pytest.mark.django_db


def days_ago(days: int):
    return timezone.now() - timezone.timedelta(days=days)


def confirmed(organization, days: int):
    """Pretend the listing was last confirmed (and created) that many days ago."""
    Organization.objects.filter(pk=organization.pk).update(
        verified_at=days_ago(days), created_at=days_ago(days + 1)
    )
    return organization


def test_members_of_a_listing_unconfirmed_for_90_days_get_a_reminder(
    immediate_tasks, django_capture_on_commit_callbacks
):
    old = confirmed(OrganizationFactory(name="Collectif oublié"), 95)
    fresh = confirmed(OrganizationFactory(name="Collectif récent"), 10)
    first = MembershipFactory(organization=old)
    second = MembershipFactory(organization=old, role="admin")
    MembershipFactory(organization=fresh)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_unverified", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([first.user.email, second.user.email])
    assert "Collectif oublié" in message.subject
    assert "il y a 95 jours" in message.body
    assert f"/espace/organisations/{old.slug}/modifier/" in message.body


def test_a_reminder_is_not_sent_again_the_next_day(
    immediate_tasks, django_capture_on_commit_callbacks
):
    old = confirmed(OrganizationFactory(), 100)
    MembershipFactory(organization=old)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_unverified", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("remind_unverified", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1


def test_the_reminder_period_is_a_setting(
    settings, immediate_tasks, django_capture_on_commit_callbacks
):
    settings.RELAIS_VERIFICATION_REMINDER_DAYS = 30
    organization = confirmed(OrganizationFactory(), 40)
    MembershipFactory(organization=organization)
    from network.members.freshness import organizations_send_verification_reminders

    with django_capture_on_commit_callbacks(execute=True):
        assert organizations_send_verification_reminders() == 1
    assert len(mail.outbox) == 1


def test_pending_listings_and_listings_without_members_get_no_reminder(
    immediate_tasks, django_capture_on_commit_callbacks
):
    MembershipFactory(
        organization=confirmed(OrganizationFactory(status=Organization.Status.PENDING), 200)
    )
    confirmed(OrganizationFactory(), 200)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_unverified", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []


def test_a_listing_unconfirmed_for_180_days_is_flagged_on_its_public_page(client):
    stale = confirmed(OrganizationFactory(name="Ancienne fiche"), 200)
    fresh = confirmed(OrganizationFactory(name="Fiche récente"), 20)
    assert "Informations à vérifier" in client.get(f"/organisations/{stale.slug}/").content.decode()
    assert (
        "Informations à vérifier"
        not in client.get(f"/organisations/{fresh.slug}/").content.decode()
    )
    cards = client.get("/").content.decode()
    assert cards.count("informations à vérifier") == 1


def test_a_new_listing_never_confirmed_is_not_flagged(client):
    organization = OrganizationFactory(verified_at=None)
    assert (
        "Informations à vérifier"
        not in client.get(f"/organisations/{organization.slug}/").content.decode()
    )


def names_in(page: str, names: list[str]) -> list[str]:
    return sorted(names, key=page.index)


def test_search_by_name_ranks_stale_listings_after_fresh_ones(client):
    confirmed(OrganizationFactory(name="Aaa ancienne"), 200)
    confirmed(OrganizationFactory(name="Bbb récente"), 5)
    OrganizationFactory(name="Ccc jamais confirmée", verified_at=None)
    page = client.get("/").content.decode()
    assert names_in(page, ["Aaa ancienne", "Bbb récente", "Ccc jamais confirmée"]) == [
        "Bbb récente",
        "Ccc jamais confirmée",
        "Aaa ancienne",
    ]


def test_search_by_distance_ranks_stale_listings_after_fresh_ones_then_by_distance(client):
    confirmed(
        OrganizationFactory(name="Tout près mais ancienne", municipality=real_commune("Namur")), 365
    )
    confirmed(OrganizationFactory(name="Proche et récente", municipality=real_commune("Namur")), 1)
    confirmed(
        OrganizationFactory(name="Plus loin et récente", municipality=real_commune("Gembloux")), 1
    )
    page = client.get("/?near=5000&radius_km=30").content.decode()
    assert names_in(
        page, ["Tout près mais ancienne", "Proche et récente", "Plus loin et récente"]
    ) == [
        "Proche et récente",
        "Plus loin et récente",
        "Tout près mais ancienne",
    ]


def test_confirming_a_stale_listing_clears_the_flag(client):
    membership = MembershipFactory(organization=confirmed(OrganizationFactory(), 300))
    client.force_login(membership.user)
    client.post(f"/espace/organisations/{membership.organization.slug}/toujours-a-jour/")
    page = client.get(f"/organisations/{membership.organization.slug}/").content.decode()
    assert "Informations à vérifier" not in page


def test_the_periodic_task_is_scheduled_once_sends_reminders_and_schedules_its_next_run(settings):
    from types import SimpleNamespace

    from django_tasks_db.models import DBTaskResult

    from network.tasks import schedule_verification_reminders, verification_reminders_tick

    MembershipFactory(organization=confirmed(OrganizationFactory(), 120))
    call_command("remind_unverified", "--schedule", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert schedule_verification_reminders() is False  # already waiting: no second chain
    ticks = DBTaskResult.objects.filter(task_path=verification_reminders_tick.module_path)
    waiting = ticks.get()
    assert waiting.status == "READY"

    # What the worker does with that row: run the task with its context.
    context = SimpleNamespace(task_result=SimpleNamespace(id=waiting.id))
    assert verification_reminders_tick.func(context) == 1
    following = ticks.exclude(pk=waiting.pk).get()
    assert following.status == "READY"
    delay = (following.run_after - timezone.now()).total_seconds()
    interval = settings.RELAIS_VERIFICATION_REMINDER_INTERVAL_SECONDS
    assert interval - 60 < delay <= interval
