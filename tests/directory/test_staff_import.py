"""Staff spreadsheet pages: upload, preview with errors, confirm; CSV downloads."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from network.models import Organization
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
    assert client.get(URL).status_code == 302
    assert client.get("/equipe/export.csv").status_code == 302


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
