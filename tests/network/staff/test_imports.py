"""Staff spreadsheet pages: upload, preview with errors, confirm; CSV downloads."""

import csv
import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from network.listings.models import ImportBatch, Organization, OrganizationChange
from tests.factories import OrganizationFactory, StaffFactory, UserFactory
from tests.network.csv_helpers import make_csv

pytestmark = pytest.mark.django_db

URL = "/equipe/import/"


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def upload(client, data: bytes, **options):
    return client.post(
        URL, {"file": SimpleUploadedFile("orgs.csv", data, content_type="text/csv"), **options}
    )


def test_the_page_is_for_staff_only(client):
    assert client.get(URL).status_code == 302
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403
    assert client.get("/equipe/export.csv").status_code == 403


def test_preview_shows_what_would_happen_and_writes_nothing(staff_client):
    response = upload(staff_client, make_csv({}, {"external_id": "b", "name": "Deuxième"}))

    assert response.status_code == 200
    page = response.content.decode()
    assert "2 lignes : 2 créées" in page
    assert "Collectif de Namur" in page and "Deuxième" in page
    assert "Importer maintenant" in page
    assert Organization.objects.count() == 0


def test_confirm_imports_exactly_the_previewed_file(staff_client):
    preview = upload(staff_client, make_csv({}))
    digest = preview.context["digest"]

    response = staff_client.post("/equipe/import/confirmer/", {"digest": digest}, follow=True)

    imported = Organization.objects.get(external_id="tab-001")
    assert imported.changes.get().actor.is_staff  # the history says who imported it
    assert "1 créées" in response.content.decode()
    # The file is consumed: confirming twice does not import twice.
    again = staff_client.post("/equipe/import/confirmer/", {"digest": digest}, follow=True)
    assert "Aucun fichier en attente" in again.content.decode()


def test_the_result_banner_appears_once(staff_client):
    digest = upload(staff_client, make_csv({})).context["digest"]
    response = staff_client.post("/equipe/import/confirmer/", {"digest": digest}, follow=True)
    banners = list(response.context["messages"])
    assert len(banners) == 1
    assert html.unescape(response.content.decode()).count(str(banners[0])) == 1


def test_errors_are_listed_by_line_and_column_and_confirm_is_not_offered(staff_client):
    response = upload(
        staff_client, make_csv({"external_id": "a"}, {"external_id": "b", "kind": "club"})
    )

    page = response.content.decode()
    assert "1 ligne invalide" in page
    assert "<td>3</td>" in page and "<td>kind</td>" in page
    assert "Importer maintenant" not in page


def test_with_skip_invalid_the_valid_rows_can_be_confirmed(staff_client):
    preview = upload(
        staff_client,
        make_csv({"external_id": "a"}, {"external_id": "b", "kind": "club"}),
        skip_invalid="on",
    )
    assert "Importer maintenant" in preview.content.decode()

    staff_client.post("/equipe/import/confirmer/", {"digest": preview.context["digest"]})

    assert list(Organization.objects.values_list("external_id", flat=True)) == ["a"]


def test_an_unreadable_file_gets_a_clear_message(staff_client):
    response = upload(staff_client, "nom;type\nÉté;x\n".encode("latin-1"))

    assert "UTF-8" in response.content.decode()
    assert Organization.objects.count() == 0


def test_a_confirm_without_preview_changes_nothing(staff_client):
    response = staff_client.post("/equipe/import/confirmer/", {"digest": "x"}, follow=True)

    assert "Aucun fichier en attente" in response.content.decode()


def test_csv_downloads_public_and_complete(staff_client):
    OrganizationFactory(name="Visible", routing_email="secret@example.org")
    OrganizationFactory(name="En attente", status=Organization.Status.PENDING)

    public = b"".join(staff_client.get("/equipe/export.csv").streaming_content).decode("utf-8-sig")
    complete = b"".join(
        staff_client.get("/equipe/export.csv", {"include_private": "1"}).streaming_content
    ).decode("utf-8-sig")

    assert "Visible" in public and "En attente" not in public and "secret@example.org" not in public
    assert "En attente" in complete and "secret@example.org" in complete


def test_staff_find_the_import_page_in_the_navigation_and_citizens_do_not(staff_client):
    assert 'href="/equipe/import/"' in staff_client.get("/a-propos/").content.decode()
    assert 'href="/equipe/import/"' not in Client().get("/a-propos/").content.decode()


def test_the_about_page_links_to_the_open_data(client):
    page = client.get("/a-propos/").content.decode()

    assert 'href="/api/v1/docs/"' in page
    assert 'href="/api/v1/hsds/organizations/"' in page


# --- Re-importing an export (issue "Re-importing a CSV export erases private data") ---


def _download(client, **params) -> bytes:
    response = client.get("/equipe/export.csv", params)
    return b"".join(response.streaming_content)


def _edit_cell(data: bytes, name: str, column: str, value: str) -> bytes:
    """The export with one cell changed, as a spreadsheet would save it (same separator)."""
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    header = rows[0]
    for row in rows[1:]:
        if row[header.index("name")] == name:
            row[header.index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


@pytest.fixture
def listings(commune):
    """A private-address collective, a public-address association, with every relation."""
    private = OrganizationFactory(
        name="Hébergeurs discrets",
        external_id="h-1",
        municipality=commune("Namur"),
        address="Rue cachée 3",
        address_visibility=Organization.AddressVisibility.COMMUNE,
        routing_email="secret-routage@example.org",
        activities=["shelter", "transport"],
        needs=["hosts"],
        description="Accueil de nuit.\nSecond paragraphe ; avec « guillemets ».",
    )
    private.area_served.set([commune("Namur"), commune("Gembloux")])
    public = OrganizationFactory(
        name="Association ouverte",
        slug="association-ouverte",  # as organization_create names it: rows without id match it
        external_id="",
        municipality=commune("Liège"),
        address="Place publique 1",
        address_visibility=Organization.AddressVisibility.EXACT,
        routing_email="autre-secret@example.org",
        website="https://ouverte.example.org/",
        languages="fr,ar",
    )
    return private, public


def _stored(organization: Organization) -> dict:
    organization.refresh_from_db()
    return {
        **{
            field.attname: getattr(organization, field.attname)
            for field in Organization._meta.concrete_fields
            if field.name != "updated_at"
        },
        "activities": sorted(organization.activities.values_list("slug", flat=True)),
        "needs": sorted(organization.needs.values_list("slug", flat=True)),
        "area_served": sorted(organization.area_served.values_list("refnis", flat=True)),
    }


@pytest.mark.parametrize("params", [{}, {"include_private": "1"}], ids=["public", "complete"])
def test_reimporting_an_unchanged_export_is_all_unchanged(staff_client, listings, params):
    data = _download(staff_client, **params)

    response = upload(staff_client, data, update="on")

    page = response.content.decode()
    assert "2 lignes : 0 créées, 0 mises à jour, 2 inchangées" in page
    assert "Importer maintenant" not in page


@pytest.mark.parametrize("params", [{}, {"include_private": "1"}], ids=["public", "complete"])
def test_reimporting_an_export_with_one_cell_edited_changes_exactly_that_cell(
    staff_client, listings, params
):
    private, public = listings
    before = {o.pk: _stored(o) for o in listings}
    data = _edit_cell(
        _download(staff_client, **params), "Hébergeurs discrets", "phone", "+32 81 11 22 33"
    )

    preview = upload(staff_client, data, update="on")

    page = preview.content.decode()
    assert "2 lignes : 0 créées, 1 mises à jour, 1 inchangées" in page
    [row] = preview.context["changed_rows"]
    assert [column for column, _old, _new in row.change_cells] == ["phone"]
    assert row.change_cells[0][2] == "+32 81 11 22 33" and "+32 81 11 22 33" in page
    assert Organization.objects.get(pk=private.pk).phone != "+32 81 11 22 33"  # preview only

    staff_client.post("/equipe/import/confirmer/", {"digest": preview.context["digest"]})

    after = {o.pk: _stored(o) for o in listings}
    assert after[public.pk] == before[public.pk]
    assert {k: v for k, v in after[private.pk].items() if before[private.pk][k] != v} == {
        "phone": "+32 81 11 22 33"
    }
    assert after[private.pk]["routing_email"] == "secret-routage@example.org"
    assert after[private.pk]["address"] == "Rue cachée 3"


def test_staff_undo_an_import_from_the_page_and_the_listings_are_as_before(staff_client, listings):
    private, _public = listings
    before = {o.pk: _stored(o) for o in listings}
    data = _edit_cell(_download(staff_client), "Hébergeurs discrets", "needs", "drivers;funds")
    data = _edit_cell(data, "Association ouverte", "accepting_requests", "no")
    data = _edit_cell(data, "Association ouverte", "area_served", "62063")
    data = data.replace(
        b"\n", b"\nnouvelle;Nouveau collectif;collective;;;;;;Arlon;;;;;;;;;;;published;;\n", 1
    )
    preview = upload(staff_client, data, update="on")
    assert "1 créées, 2 mises à jour" in preview.context["result"].summary, preview.context[
        "result"
    ].errors
    staff_client.post("/equipe/import/confirmer/", {"digest": preview.context["digest"]})
    assert Organization.objects.filter(external_id="nouvelle").exists()
    page = staff_client.get(URL).content.decode()
    assert "Annuler cet import" in page

    [batch] = ImportBatch.objects.all()
    response = staff_client.post(f"/equipe/import/{batch.pk}/annuler/", follow=True)

    assert "Import annulé : 2 fiche(s) remises comme avant, 1 fiche(s)" in response.content.decode()
    assert not Organization.objects.filter(external_id="nouvelle").exists()
    assert {o.pk: _stored(o) for o in listings} == before
    assert private.changes.filter(kind=OrganizationChange.Kind.REVERTED).count() == 1
    again = staff_client.post(f"/equipe/import/{batch.pk}/annuler/", follow=True)
    assert "déjà été annulé" in again.content.decode()


def test_the_history_shows_the_import_batch_of_a_change(staff_client, listings):
    private, _public = listings
    data = _edit_cell(_download(staff_client), "Hébergeurs discrets", "phone", "0470 00 00 00")
    preview = upload(staff_client, data, update="on")
    staff_client.post("/equipe/import/confirmer/", {"digest": preview.context["digest"]})

    page = staff_client.get(f"/equipe/organisations/{private.slug}/historique/").content.decode()

    assert "Fait partie de l'import du fichier « orgs.csv »" in page
