"""Cached search answers: served again without the search queries, never older than the directory.

Every test first asks a question so that its answer is cached, then changes the directory the way
a user or a job would, then asks again: the new answer must show the change.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from network.contact.submission import contact_request_submit
from network.imports.services import organizations_import_csv
from network.infrastructure.directory_version import directory_version
from network.listings.models import Organization
from network.listings.services import (
    organization_change_revert,
    organization_mark_verified,
    organization_update,
)
from tests.factories import OrganizationFactory, StaffFactory
from tests.network.csv_helpers import make_csv

pytestmark = pytest.mark.django_db

API = "/api/v1/organizations/"
NEAR_NAMUR = {"near": "5000"}


def api_names(client, params=NEAR_NAMUR) -> list[str]:
    response = client.get(API, params)
    assert response.status_code == 200
    return [item["name"] for item in response.json()["results"]]


def page_text(client, params=NEAR_NAMUR) -> str:
    response = client.get(reverse("directory:search"), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def listed(commune):
    return OrganizationFactory(name="Accueil du Confluent", municipality=commune("Namur"))


def test_a_repeated_search_is_answered_without_the_search_queries(
    client, listed, django_assert_num_queries
):
    first = client.get(API, NEAR_NAMUR)
    # Only the directory version is read: no count, no page, no gazetteer lookup.
    with django_assert_num_queries(1):
        again = client.get(API, NEAR_NAMUR)
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_the_list_page_reuses_its_results_but_not_its_form_token(client, listed):
    first = page_text(client)
    client.cookies.clear()
    second = page_text(client)
    assert "Accueil du Confluent" in first and "Accueil du Confluent" in second
    # The language switcher's form carries each visitor's own token.
    token = 'name="csrfmiddlewaretoken" value="'
    assert first.split(token)[1][:64] != second.split(token)[1][:64]


def test_an_edit_by_a_member_shows_at_once(client, listed):
    assert api_names(client) == ["Accueil du Confluent"]
    assert "Accueil du Confluent" in page_text(client)
    organization_update(listed, name="Accueil de la Citadelle")
    assert api_names(client) == ["Accueil de la Citadelle"]
    page = page_text(client)
    assert "Accueil de la Citadelle" in page and "Accueil du Confluent" not in page


def test_suspending_removes_the_listing_from_cached_answers(client, listed):
    assert api_names(client) == ["Accueil du Confluent"]
    organization_update(listed, status=Organization.Status.SUSPENDED)
    assert api_names(client) == []
    assert "Accueil du Confluent" not in page_text(client)


def test_needs_changed_in_the_member_space_show_in_the_need_filter(client, listed):
    params = {**NEAR_NAMUR, "need": "drivers"}
    assert api_names(client, params) == []
    organization_update(listed, needs=["drivers"])
    assert api_names(client, params) == ["Accueil du Confluent"]


def test_new_weekly_hours_show_in_the_open_now_filter(client, listed):
    params = {**NEAR_NAMUR, "open_now": "true"}
    assert api_names(client, params) == []
    every_day = [{"weekday": day, "opens_at": "00:00", "closes_at": "23:59"} for day in range(7)]
    organization_update(listed, opening_periods=every_day)
    assert api_names(client, params) == ["Accueil du Confluent"]


def test_a_csv_import_shows_its_new_listings(client, listed):
    assert api_names(client) == ["Accueil du Confluent"]
    result = organizations_import_csv(
        make_csv({"external_id": "tab-900", "name": "Maraudes de Jambes"})
    )
    assert result.applied, result.errors
    assert sorted(api_names(client)) == ["Accueil du Confluent", "Maraudes de Jambes"]


def test_confirming_a_stale_listing_clears_its_warning(client, commune, settings):
    stale = OrganizationFactory(name="Vestiaire de Salzinnes", municipality=commune("Namur"))
    Organization.objects.filter(pk=stale.pk).update(
        created_at="2020-01-01T00:00:00Z", verified_at=None
    )
    assert "informations à vérifier" in page_text(client)
    organization_mark_verified(Organization.objects.get(pk=stale.pk))
    assert "informations à vérifier" not in page_text(client)


def test_a_reverted_change_shows_at_once(client, listed):
    organization_update(listed, name="Nom provisoire")
    assert api_names(client) == ["Nom provisoire"]
    organization_change_revert(listed.changes.latest("pk"), actor=StaffFactory())
    assert api_names(client) == ["Accueil du Confluent"]


def test_a_deletion_in_the_admin_shows_at_once(client, listed):
    assert api_names(client) == ["Accueil du Confluent"]
    staff_client = type(client)()
    staff_client.force_login(StaffFactory(is_superuser=True))
    response = staff_client.post(
        reverse("admin:network_organization_delete", args=[listed.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert api_names(client) == []


def test_a_write_that_rolls_back_keeps_the_version(listed):
    before = directory_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        organization_update(listed, name="Jamais enregistré")
        raise RuntimeError("the request failed half-way")
    assert directory_version() == before


def test_contact_requests_do_not_retire_cached_answers(listed):
    before = directory_version()
    contact_request_submit(
        source="organization-form",
        intent="volunteer",
        name="Camille",
        email="camille@example.org",
        message="Je peux conduire le samedi.",
        consent=True,
        target=listed,
    )
    assert directory_version() == before


def test_conditional_requests_get_304_until_the_directory_changes(client, listed):
    first = client.get(API, NEAR_NAMUR)
    etag = first["ETag"]
    assert client.get(API, NEAR_NAMUR, headers={"if-none-match": etag}).status_code == 304
    organization_update(listed, name="Accueil de la Citadelle")
    changed = client.get(API, NEAR_NAMUR, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_answers_differ_by_language(client, listed):
    french = client.get(API, NEAR_NAMUR, headers={"accept-language": "fr"}).json()
    dutch = client.get(API, NEAR_NAMUR, headers={"accept-language": "nl"}).json()
    assert french["results"][0]["kind_label"] != dutch["results"][0]["kind_label"]


def test_no_cache_when_the_setting_is_zero(client, listed, settings):
    settings.RELAIS_SEARCH_CACHE_SECONDS = 0
    client.get(API, NEAR_NAMUR)
    with CaptureQueriesContext(connection) as queries:
        client.get(API, NEAR_NAMUR)
    assert len(queries) > 1


def map_listing_count(client, params=NEAR_NAMUR) -> int:
    response = client.get(reverse("directory:map_data"), params)
    assert response.status_code == 200
    return len(response.json()["rows"])


def test_the_map_data_follows_an_edit_at_once(client, listed):
    assert map_listing_count(client) == 1
    organization_update(listed, status=Organization.Status.SUSPENDED)
    assert map_listing_count(client) == 0


def test_a_browser_coming_back_to_the_map_gets_a_304(client, listed):
    first = client.get(reverse("directory:map_data"), NEAR_NAMUR)
    again = client.get(
        reverse("directory:map_data"), NEAR_NAMUR, headers={"if-none-match": first["ETag"]}
    )
    assert again.status_code == 304
    organization_update(listed, name="Accueil de la Citadelle")
    changed = client.get(
        reverse("directory:map_data"), NEAR_NAMUR, headers={"if-none-match": first["ETag"]}
    )
    assert changed.status_code == 200
