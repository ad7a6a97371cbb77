"""The permission matrix: every non-public URL x {anonymous, editor of A, admin of A, member of B,
staff} gives the expected status, and a member of B never reads A's private data nor changes A."""

import pytest

from network.contact.models import ContactRequest
from network.listings.models import Organization, OrganizationChange
from network.listings.services import organization_update
from network.members.models import Membership
from network.moderation.models import ErrorReport, OrganizationProposal
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    StaffFactory,
    real_commune,
    submit_request,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "editor_a", "admin_a", "member_b", "staff"]
SECRET_ROUTING = "routage-tres-prive-a@example.org"
SECRET_ADDRESS = "Rue Cachée 13"

LOGIN = 302  # anonymous visitors are sent to the login page
OK, DONE, FORBIDDEN, HIDDEN = 200, 302, 403, 404


class World:
    """Organisation A (private routing e-mail, hidden address) and B, their members, staff."""

    def __init__(self):
        self.a = OrganizationFactory(
            name="Organisation A",
            routing_email=SECRET_ROUTING,
            address=SECRET_ADDRESS,
            address_visibility=Organization.AddressVisibility.COMMUNE,
            area_served=[real_commune("Namur")],
        )
        self.b = OrganizationFactory(name="Organisation B", municipality=real_commune("Liège"))
        self.users = {
            "anonymous": None,
            "editor_a": MembershipFactory(organization=self.a, role=Membership.Role.EDITOR).user,
            "admin_a": MembershipFactory(organization=self.a, role=Membership.Role.ADMIN).user,
            "member_b": MembershipFactory(organization=self.b, role=Membership.Role.ADMIN).user,
            "staff": StaffFactory(),
        }
        self.target_editor = MembershipFactory(organization=self.a, role=Membership.Role.EDITOR)
        organization_update(self.a, actor=self.users["admin_a"], temporary_message="Fermé lundi")
        self.change = OrganizationChange.objects.get(organization=self.a, kind="updated")
        pending = OrganizationFactory(name="Proposée", status=Organization.Status.PENDING)
        self.proposal = OrganizationProposal.objects.create(
            organization=pending, proposer_name="P", proposer_email="proposeur-prive@example.org"
        )
        self.contact_request = submit_request(
            target=self.a, source=ContactRequest.Source.ORGANIZATION_FORM
        )
        assert self.contact_request.status == ContactRequest.Status.ROUTED
        self.report = ErrorReport.objects.create(
            organization=self.a,
            message="Le téléphone est faux.",
            reporter_email="signaleur-prive@example.org",
        )

    def edit_data(self) -> dict:
        from network.listings.services import organization_version

        self.a.refresh_from_db()
        return {
            # The hidden version of an edit page opened just now.
            "version": organization_version(self.a),
            "name": "Organisation A modifiée",
            "postal_code": self.a.postal_code,
            "address_visibility": "commune",
            "needs": ["drivers"],
            "area_served": ["92094"],
        }


# (label, method, path template, data builder, expected status per role)
CASES = [
    ("dashboard", "get", "/espace/", None, [LOGIN, OK, OK, OK, OK]),
    ("password change", "get", "/espace/mot-de-passe/changer/", None, [LOGIN, OK, OK, OK, OK]),
    ("edit page", "get", "/espace/organisations/{a}/modifier/", None, [LOGIN, OK, OK, HIDDEN, OK]),
    (
        "edit save",
        "post",
        "/espace/organisations/{a}/modifier/",
        "edit",
        [LOGIN, DONE, DONE, HIDDEN, DONE],
    ),
    (
        "edit preview",
        "post",
        "/espace/organisations/{a}/modifier/",
        "preview",
        [LOGIN, OK, OK, HIDDEN, OK],
    ),
    (
        "still accurate",
        "post",
        "/espace/organisations/{a}/toujours-a-jour/",
        None,
        [LOGIN, DONE, DONE, HIDDEN, DONE],
    ),
    (
        "still accurate by GET",
        "get",
        "/espace/organisations/{a}/toujours-a-jour/",
        None,
        [LOGIN, 405, 405, 405, 405],
    ),
    (
        "members page",
        "get",
        "/espace/organisations/{a}/membres/",
        None,
        [LOGIN, FORBIDDEN, OK, HIDDEN, OK],
    ),
    (
        "invite editor",
        "post",
        "/espace/organisations/{a}/membres/",
        "invite",
        [LOGIN, FORBIDDEN, DONE, HIDDEN, DONE],
    ),
    (
        "remove editor",
        "post",
        "/espace/organisations/{a}/membres/{editor}/retirer/",
        None,
        [LOGIN, FORBIDDEN, DONE, HIDDEN, DONE],
    ),
    (
        "reinvite",
        "post",
        "/espace/organisations/{a}/membres/{editor}/renvoyer/",
        None,
        [LOGIN, FORBIDDEN, DONE, HIDDEN, DONE],
    ),
    (
        "staff listing list",
        "get",
        "/equipe/organisations/",
        None,
        [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
    ),
    (
        "moderation queue",
        "get",
        "/equipe/moderation/",
        None,
        [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
    ),
    (
        "proposal page",
        "get",
        "/equipe/moderation/propositions/{proposal}/",
        None,
        [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
    ),
    (
        "proposal decision",
        "post",
        "/equipe/moderation/propositions/{proposal}/",
        "approve",
        [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE],
    ),
    (
        "report page",
        "get",
        "/equipe/moderation/signalements/{report}/",
        None,
        [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
    ),
    (
        "report decision",
        "post",
        "/equipe/moderation/signalements/{report}/",
        "approve",
        [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE],
    ),
    (
        "history",
        "get",
        "/equipe/organisations/{a}/historique/",
        None,
        [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
    ),
    (
        "revert",
        "post",
        "/equipe/historique/{change}/annuler/",
        None,
        [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE],
    ),
    (
        "request accept",
        "post",
        "/espace/demandes/{request}/accepter/",
        None,
        [LOGIN, DONE, DONE, HIDDEN, HIDDEN],
    ),
    (
        "request decline",
        "post",
        "/espace/demandes/{request}/refuser/",
        "decline",
        [LOGIN, DONE, DONE, HIDDEN, HIDDEN],
    ),
    ("staff inbox", "get", "/equipe/demandes/", None, [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK]),
    (
        "staff inbox request",
        "get",
        "/equipe/demandes/{request}/",
        None,
        [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
    ),
    ("admin site", "get", "/admin/", None, [LOGIN, LOGIN, LOGIN, LOGIN, OK]),
    (
        "coverage map",
        "get",
        "/equipe/couverture/",
        None,
        [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
    ),
    (
        "coverage data",
        "get",
        "/equipe/couverture/donnees.json",
        None,
        [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
    ),
    (
        "staff dashboard",
        "get",
        "/equipe/tableau-de-bord/",
        None,
        [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
    ),
    (
        "staff dashboard CSV",
        "get",
        "/equipe/tableau-de-bord/fiches-a-verifier.csv",
        None,
        [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
    ),
    (
        "admin organisation",
        "get",
        "/admin/network/organization/{a_pk}/change/",
        None,
        [LOGIN, LOGIN, LOGIN, LOGIN, OK],
    ),
]


def build_data(kind, world: World):
    if kind == "edit":
        return world.edit_data()
    if kind == "preview":
        return {**world.edit_data(), "preview": "1"}
    if kind == "invite":
        return {"email": "nouveau-membre@example.org", "role": "editor"}
    if kind == "decline":
        return {"reason": "Plus de chauffeurs disponibles."}
    if kind == "approve":
        return {"decision": "approve", "message": "ok"}
    return {}


@pytest.fixture
def world(settings):
    # A fast hasher: this matrix creates many accounts and checks permissions, not hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return World()


def request_as(client, world: World, role: str, method: str, path: str, data_kind):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    path = path.format(
        a=world.a.slug,
        a_pk=world.a.pk,
        editor=world.target_editor.pk,
        proposal=world.proposal.pk,
        report=world.report.pk,
        change=world.change.pk,
        request=world.contact_request.reference,
    )
    data = build_data(data_kind, world)
    return getattr(client, method)(path, data) if method == "post" else client.get(path)


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
@pytest.mark.parametrize(
    "label,method,path,data_kind,expected", CASES, ids=[case[0] for case in CASES]
)
def test_permission_matrix(
    client, world, label, method, path, data_kind, expected, role_index, role
):
    response = request_as(client, world, role, method, path, data_kind)
    assert response.status_code == expected[role_index], f"{label} as {role}"
    if expected[role_index] == LOGIN and role == "anonymous":
        assert response["Location"].startswith(("/espace/connexion/", "/admin/login/"))


SECRETS = [
    "camille.citoyenne@example.net",
    "+32 470 12 34 56",
    SECRET_ROUTING,
    SECRET_ADDRESS,
    "proposeur-prive@example.org",
    "signaleur-prive@example.org",
]


@pytest.mark.parametrize(
    "label,method,path,data_kind,expected", CASES, ids=[case[0] for case in CASES]
)
def test_member_of_b_never_reads_nor_changes_organisation_a(
    client, world, label, method, path, data_kind, expected
):
    before = (
        Organization.objects.filter(pk=world.a.pk).values().get(),
        sorted(world.a.needs.values_list("slug", flat=True)),
        sorted(world.a.area_served.values_list("refnis", flat=True)),
        Membership.objects.filter(organization=world.a).count(),
        OrganizationChange.objects.count(),
    )
    response = request_as(client, world, "member_b", method, path, data_kind)
    body = response.content.decode(errors="replace")
    for secret in SECRETS:
        assert secret not in body
    assert "Organisation A" not in body
    after = (
        Organization.objects.filter(pk=world.a.pk).values().get(),
        sorted(world.a.needs.values_list("slug", flat=True)),
        sorted(world.a.area_served.values_list("refnis", flat=True)),
        Membership.objects.filter(organization=world.a).count(),
        OrganizationChange.objects.count(),
    )
    assert after == before
    assert OrganizationProposal.objects.get(pk=world.proposal.pk).status == "pending"
    assert ErrorReport.objects.get(pk=world.report.pk).status == "pending"
    world.contact_request.refresh_from_db()
    assert world.contact_request.status == ContactRequest.Status.ROUTED


def test_members_of_a_see_a_private_fields_on_their_edit_page(client, world):
    client.force_login(world.users["editor_a"])
    page = client.get(f"/espace/organisations/{world.a.slug}/modifier/").content.decode()
    assert SECRET_ROUTING in page and SECRET_ADDRESS in page


def test_a_changes_made_by_allowed_roles_really_happen(client, world):
    client.force_login(world.users["editor_a"])
    client.post(f"/espace/organisations/{world.a.slug}/modifier/", world.edit_data())
    world.a.refresh_from_db()
    assert world.a.name == "Organisation A modifiée"
    assert list(world.a.needs.values_list("slug", flat=True)) == ["drivers"]


def test_a_deactivated_member_loses_access(client, world):
    user = world.users["editor_a"]
    client.force_login(user)
    user.is_active = False
    user.save()
    assert client.get(f"/espace/organisations/{world.a.slug}/modifier/").status_code == LOGIN


def test_a_removed_member_loses_access_at_once(client, world):
    client.force_login(world.users["editor_a"])
    Membership.objects.filter(user=world.users["editor_a"]).delete()
    assert client.get(f"/espace/organisations/{world.a.slug}/modifier/").status_code == HIDDEN
