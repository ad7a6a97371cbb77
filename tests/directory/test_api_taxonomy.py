"""Reference data endpoints: municipality autocomplete, activities and needs."""

import pytest

from network.listings.models import ActivitySlug, NeedSlug

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [item["name"] for item in response.json()["results"]]


@pytest.mark.parametrize(
    ("query", "expected"), [("gembl", "Gembloux"), ("LIEGE", "Liège"), ("liè", "Liège")]
)
def test_municipalities_autocomplete_by_name_start_whatever_the_case_and_accents(
    client, query, expected
):
    response = client.get("/api/v1/municipalities/", {"q": query})

    assert response.status_code == 200
    assert expected in names(response)


def test_municipalities_autocomplete_by_postal_code(client):
    response = client.get("/api/v1/municipalities/", {"q": "5030"})

    assert names(response) == ["Gembloux"]
    assert "5030" in response.json()["results"][0]["postal_codes"]


def test_municipalities_autocomplete_finds_a_commune_by_one_of_its_localities(client):
    # Saint-Servais (5002) is a locality of the municipality of Namur.
    assert "Namur" in names(client.get("/api/v1/municipalities/", {"q": "saint-serv"}))


def test_municipalities_without_query_lists_all_261_walloon_communes(client):
    assert client.get("/api/v1/municipalities/").json()["count"] == 261


def test_municipalities_with_a_too_long_query_give_400(client):
    response = client.get("/api/v1/municipalities/", {"q": "a" * 101})

    assert response.status_code == 400
    assert "q" in response.json()


def test_municipality_detail_by_refnis(client):
    response = client.get("/api/v1/municipalities/92094/")

    assert response.json()["name"] == "Namur"
    assert client.get("/api/v1/municipalities/00000/").status_code == 404


def test_activities_and_needs_list_every_slug_with_a_french_label(client):
    activities = client.get("/api/v1/activities/").json()
    needs = client.get("/api/v1/needs/").json()

    assert [item["slug"] for item in activities] == list(ActivitySlug.values)
    assert [item["slug"] for item in needs] == list(NeedSlug.values)
    assert {"slug": "transport", "label": "Transport"} in activities
    assert {"slug": "drivers", "label": "Chauffeurs"} in needs


def test_labels_follow_the_requested_language(client):
    # Without compiled English catalogues the label stays French: the slug never changes.
    response = client.get("/api/v1/activities/", HTTP_ACCEPT_LANGUAGE="en")

    assert [item["slug"] for item in response.json()] == list(ActivitySlug.values)


def test_reference_lists_carry_an_etag_and_answer_304(client):
    first = client.get("/api/v1/needs/")

    assert client.get("/api/v1/needs/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
