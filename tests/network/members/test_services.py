import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from network.members.models import Membership
from network.members.services import member_invite, member_reinvite, member_remove
from tests.factories import MembershipFactory, OrganizationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def invitation_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/espace/invitation/\S+)", message.body).group(1)


def test_staff_invitation_creates_an_account_and_mails_a_link_to_choose_a_password(
    client, immediate_tasks, django_capture_on_commit_callbacks
):
    organization = OrganizationFactory(name="Collectif de Ciney")
    staff = StaffFactory()
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/espace/organisations/{organization.slug}/membres/",
            {"email": "Nouvelle@Example.org", "role": "admin"},
        )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="nouvelle@example.org")
    assert user.username == "nouvelle@example.org"
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).role == "admin"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nouvelle@example.org"]
    assert "Collectif de Ciney" in mail.outbox[0].subject

    client.logout()
    page = client.get(invitation_path(mail.outbox[0]), follow=True)
    assert "nouvelle@example.org" in page.content.decode()
    welcome = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "mon mot de passe solide", "new_password2": "mon mot de passe solide"},
        follow=True,
    )
    assert welcome.redirect_chain[-1][0] == "/espace/"
    assert "Collectif de Ciney" in welcome.content.decode()
    user.refresh_from_db()
    assert user.check_password("mon mot de passe solide")


def test_an_invitation_link_works_once(client, immediate_tasks, django_capture_on_commit_callbacks):
    organization = OrganizationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        member_invite(organization=organization, email="une@example.org", invited_by=StaffFactory())
    path = invitation_path(mail.outbox[0])
    page = client.get(path, follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "phrase secrète longue", "new_password2": "phrase secrète longue"},
    )
    client.logout()
    reused = client.get(path, follow=True)
    assert "Ce lien d'invitation n'est plus valable" in reused.content.decode()


def test_a_tampered_invitation_link_is_refused(client):
    user = UserFactory()
    response = client.get(f"/espace/invitation/{user.pk}/faux-jeton/", follow=True)
    assert "Ce lien d'invitation n'est plus valable" in response.content.decode()


def test_invitation_link_expires_after_the_configured_delay(settings):
    from network.members.tokens import invitation_token_generator

    user = UserFactory()
    token = invitation_token_generator.make_token(user)
    assert invitation_token_generator.check_token(user, token)
    settings.RELAIS_INVITATION_TIMEOUT_DAYS = -1
    assert not invitation_token_generator.check_token(user, token)


def test_inviting_an_existing_account_adds_the_membership_and_sends_a_login_link(
    immediate_tasks, django_capture_on_commit_callbacks
):
    user = UserFactory(username="deja@example.org")
    organization = OrganizationFactory(name="Deuxième collectif")
    with django_capture_on_commit_callbacks(execute=True):
        member_invite(
            organization=organization, email="DEJA@example.org", invited_by=StaffFactory()
        )
    assert Membership.objects.filter(user=user, organization=organization).exists()
    assert "/espace/connexion/" in mail.outbox[0].body
    assert "/espace/invitation/" not in mail.outbox[0].body


def test_organisation_admin_invites_an_editor_but_not_an_admin():
    admin = MembershipFactory(role=Membership.Role.ADMIN)
    organization = admin.organization
    editor = member_invite(
        organization=organization, email="editrice@example.org", invited_by=admin.user
    )
    assert editor.role == Membership.Role.EDITOR
    with pytest.raises(PermissionDenied):
        member_invite(
            organization=organization,
            email="chef@example.org",
            role=Membership.Role.ADMIN,
            invited_by=admin.user,
        )
    assert not get_user_model().objects.filter(email="chef@example.org").exists()


def test_an_editor_cannot_invite_anyone():
    editor = MembershipFactory(role=Membership.Role.EDITOR)
    with pytest.raises(PermissionDenied):
        member_invite(
            organization=editor.organization, email="x@example.org", invited_by=editor.user
        )


def test_admin_of_another_organisation_cannot_invite_into_this_one():
    admin_of_b = MembershipFactory(role=Membership.Role.ADMIN)
    organization_a = OrganizationFactory()
    with pytest.raises(PermissionDenied):
        member_invite(
            organization=organization_a, email="x@example.org", invited_by=admin_of_b.user
        )
    assert not Membership.objects.filter(organization=organization_a).exists()


def test_inviting_someone_twice_is_refused_in_french():
    membership = MembershipFactory()
    with pytest.raises(ValidationError) as error:
        member_invite(
            organization=membership.organization,
            email=membership.user.email,
            invited_by=StaffFactory(),
        )
    assert "déjà membre" in str(error.value)


def test_an_invalid_address_is_refused_and_nothing_is_created():
    organization = OrganizationFactory()
    with pytest.raises(ValidationError):
        member_invite(organization=organization, email="pas une adresse", invited_by=StaffFactory())
    assert not Membership.objects.exists()


def test_admin_invites_an_editor_from_the_members_page(
    client, immediate_tasks, django_capture_on_commit_callbacks
):
    admin = MembershipFactory(role=Membership.Role.ADMIN)
    client.force_login(admin.user)
    url = f"/espace/organisations/{admin.organization.slug}/membres/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"email": "benevole@example.org", "role": "editor"}, follow=True
        )
    assert "Invitation envoyée à benevole@example.org" in response.content.decode()
    assert "invitation en attente" in response.content.decode()
    assert mail.outbox[0].to == ["benevole@example.org"]


def test_members_page_shows_a_french_error_for_a_bad_address(client):
    admin = MembershipFactory(role=Membership.Role.ADMIN)
    client.force_login(admin.user)
    response = client.post(
        f"/espace/organisations/{admin.organization.slug}/membres/",
        {"email": "nope", "role": "editor"},
    )
    assert response.status_code == 200
    assert "Saisissez une adresse e-mail valide" in response.content.decode()
    assert Membership.objects.count() == 1


def test_admin_removes_an_editor_but_not_another_admin(client):
    admin = MembershipFactory(role=Membership.Role.ADMIN)
    editor = MembershipFactory(organization=admin.organization)
    other_admin = MembershipFactory(organization=admin.organization, role=Membership.Role.ADMIN)
    client.force_login(admin.user)
    base = f"/espace/organisations/{admin.organization.slug}/membres/"
    assert client.post(f"{base}{editor.pk}/retirer/").status_code == 302
    assert not Membership.objects.filter(pk=editor.pk).exists()
    assert get_user_model().objects.filter(pk=editor.user_id).exists()
    assert client.post(f"{base}{other_admin.pk}/retirer/").status_code == 403
    assert Membership.objects.filter(pk=other_admin.pk).exists()


def test_staff_remove_an_admin():
    admin = MembershipFactory(role=Membership.Role.ADMIN)
    member_remove(membership=admin, actor=StaffFactory())
    assert not Membership.objects.exists()


def test_reinvite_sends_a_new_link_only_while_no_password_is_set(
    immediate_tasks, django_capture_on_commit_callbacks
):
    staff = StaffFactory()
    membership = member_invite(
        organization=OrganizationFactory(), email="lent@example.org", invited_by=staff
    )
    with django_capture_on_commit_callbacks(execute=True):
        member_reinvite(membership=membership, invited_by=staff)
    assert "/espace/invitation/" in mail.outbox[-1].body
    active = MembershipFactory()
    with pytest.raises(ValidationError):
        member_reinvite(membership=active, invited_by=staff)


def test_staff_find_any_listing_by_name_whatever_its_status(client):
    OrganizationFactory(name="Collectif des Tilleuls", status="pending")
    OrganizationFactory(name="Autre collectif")
    client.force_login(StaffFactory())
    page = client.get("/equipe/organisations/", {"q": "tilleuls"}).content.decode()
    assert "Collectif des Tilleuls" in page
    assert "Autre collectif" not in page
    assert "/espace/organisations/collectif-test" in page


def test_only_staff_may_name_an_admin_from_the_members_page(client):
    admin = MembershipFactory(role=Membership.Role.ADMIN)
    client.force_login(admin.user)
    url = f"/espace/organisations/{admin.organization.slug}/membres/"
    response = client.post(url, {"email": "chef@example.org", "role": "admin"})
    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="chef@example.org").exists()
