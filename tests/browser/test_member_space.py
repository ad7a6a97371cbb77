"""The member space as a new member lives it: invited by staff, sets a password, edits a need."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from network.members.models import Membership
from tests.factories import MembershipFactory, OrganizationFactory, StaffFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def immediate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def log_in(page, email: str, password: str) -> None:
    page.goto("/espace/connexion/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")


def log_out(page) -> None:
    page.click("header button:has-text('Se déconnecter')")


def test_staff_invite_a_member_who_sets_a_password_edits_a_need_and_the_public_sees_it(
    immediate, browser_page
):
    page = browser_page
    organization = OrganizationFactory(name="Collectif des Tilleuls", needs=["hosts"])
    StaffFactory(username="equipe@example.org")
    other = MembershipFactory(organization=OrganizationFactory(name="Autre collectif"))

    log_in(page, "Equipe@example.org", PASSWORD)
    page.goto("/equipe/organisations/")
    page.fill("#id_q", "tilleuls")
    page.click("main button[type=submit]")
    page.click("text=Membres et invitations")
    page.fill("#id_email", "nouvelle@example.org")
    page.select_option("#id_role", "admin")
    page.click("text=Envoyer l'invitation")
    assert "Invitation envoyée à nouvelle@example.org" in page.inner_text(".messages")
    log_out(page)

    link = re.search(r"http://[^/\s]+(/espace/invitation/\S+)", mail.outbox[-1].body).group(1)
    page.goto(link)
    page.fill("#id_new_password1", "une phrase de passe solide")
    page.fill("#id_new_password2", "une phrase de passe solide")
    page.click("main button[type=submit]")
    assert page.url.endswith("/espace/")
    assert "Collectif des Tilleuls" in page.inner_text("main")
    assert Membership.objects.get(user__email="nouvelle@example.org").role == "admin"

    page.click("text=Modifier ma fiche")
    # The preview shows the map the public will see: here the commune's area, no point.
    expect(page.locator("#preview-map")).to_have_attribute("data-map-ready", "true")
    page.check("input[name=needs][value=drivers]")
    page.fill("#id_area_served_add", "Gembloux")
    page.press("#id_area_served_add", "Enter")  # the picker adds a ticked box at once
    assert page.locator("#area-list input[value=Gembloux]").is_checked()
    page.click("text=Enregistrer la fiche")
    assert "Fiche enregistrée" in page.inner_text(".messages")
    log_out(page)

    page.goto(f"/organisations/{organization.slug}/")
    text = page.inner_text("main")
    assert "Chauffeurs" in text and "Hébergeurs" in text and "Gembloux" in text

    log_in(page, other.user.email, PASSWORD)
    for path in ("modifier/", "membres/"):
        assert page.goto(f"/espace/organisations/{organization.slug}/{path}").status == 404
    assert page.goto(f"/equipe/organisations/{organization.slug}/historique/").status == 403


def test_two_tabs_editing_one_listing_cannot_overwrite_each_other(
    browser_page, browser_context, browser_login
):
    organization = OrganizationFactory(name="Collectif des Saules")
    membership = MembershipFactory(organization=organization)
    browser_login(membership.user)
    first = browser_page
    second = browser_context.new_page()
    second.set_default_timeout(10_000)
    for page in (first, second):
        page.goto(f"/espace/organisations/{organization.slug}/modifier/")

    first.fill("#id_temporary_message", "Complet cette semaine")
    first.click("text=Enregistrer la fiche")
    assert "Fiche enregistrée" in first.inner_text(".messages")

    second.fill("#id_temporary_message", "Fermé lundi")
    second.click("text=Enregistrer la fiche")
    expect(second.locator(".alert-error")).to_contain_text(
        "Quelqu'un d'autre a enregistré cette fiche"
    )
    # What they typed is still in the field, and what is stored now is shown next to it.
    expect(second.locator("#id_temporary_message")).to_have_value("Fermé lundi")
    expect(second.locator("#stale-differences")).to_contain_text("Complet cette semaine")
    organization.refresh_from_db()
    assert organization.temporary_message == "Complet cette semaine"

    # Having seen the other change, they choose their own message and save again.
    second.click("text=Enregistrer la fiche")
    assert "Fiche enregistrée" in second.inner_text(".messages")
    organization.refresh_from_db()
    assert organization.temporary_message == "Fermé lundi"
