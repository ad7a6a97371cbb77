"""The public organisations API: filters, distances, pagination, privacy, caching, GeoJSON."""

import re

import pytest
from geopy.distance import geodesic

from network.listings.models import Organization
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/organizations/"


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["results"]]


def html_slugs(response) -> list[str]:
    return re.findall(r'href="/organisations/([^/"]+)/"', response.content.decode())


@pytest.fixture
def directory(commune):
    """A few organisations across Wallonia, with their activities and needs."""
    return {
        "namur": OrganizationFactory(
            name="Accueil Namur", slug="accueil-namur", municipality=commune("Namur"),
            activities=["transport", "shelter"], needs=["drivers"], languages="fr,ar",
        ),
        "gembloux": OrganizationFactory(
            name="Chauffeurs de Gembloux", slug="chauffeurs-gembloux", municipality=commune("Gembloux"),
            activities=["transport"], needs=["hosts"], kind=Organization.Kind.ASSOCIATION,
            address_visibility=Organization.AddressVisibility.EXACT,
        ),
        "liege": OrganizationFactory(
            name="Liège solidaire", slug="liege-solidaire", municipality=commune("Liège"),
            activities=["food"], accepting_requests=False, languages="fr,en",
        ),
        "arlon": OrganizationFactory(
            name="Commune d'Arlon", slug="commune-arlon", municipality=commune("Arlon"),
            kind=Organization.Kind.MUNICIPALITY, activities=["hygiene"],
            area_served=[commune("Arlon"), commune("Attert")],
        ),
        "pending": OrganizationFactory(
            name="Pas encore publiée", slug="pas-publiee", municipality=commune("Namur"),
            status=Organization.Status.PENDING, activities=["transport"],
        ),
    }  # fmt: skip


def test_list_is_paginated_with_count_next_previous_results(client, directory):
    response = client.get(API, {"page_size": 2})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 4  # the pending organisation is not public
    assert body["previous"] is None
    assert "page=2" in body["next"]
    assert len(body["results"]) == 2


def test_near_returns_the_nearest_first_with_their_distance(client, directory):
    response = client.get(API, {"near": "5000", "activity": "transport"})

    assert response.status_code == 200
    results = response.json()["results"]
    assert [item["slug"] for item in results] == ["accueil-namur", "chauffeurs-gembloux"]
    distances = [item["distance_km"] for item in results]
    assert distances == sorted(distances)
    assert all(distance is not None for distance in distances)


def test_distance_km_agrees_with_geopy_geodesic_distance(client, directory, commune):
    # "lat,lon" of Namur's postal code 5000 point, to avoid any label resolution differences.
    origin = (50.4669, 4.8675)
    response = client.get(API, {"near": f"{origin[0]},{origin[1]}", "radius_km": 100})

    results = response.json()["results"]
    assert len(results) >= 3
    for item in results:
        expected = geodesic(origin, (item["latitude"], item["longitude"])).km
        # Haversine on a sphere against the WGS84 ellipsoid: within 0.5 %, plus rounding.
        assert item["distance_km"] == pytest.approx(expected, rel=0.005, abs=0.01)


def test_without_near_distance_is_null_and_order_is_by_name(client, directory):
    results = client.get(API).json()["results"]

    assert [item["name"] for item in results] == sorted(item["name"] for item in results)
    assert {item["distance_km"] for item in results} == {None}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "association"}, {"chauffeurs-gembloux"}),
        ({"activity": "transport"}, {"accueil-namur", "chauffeurs-gembloux"}),
        ({"need": "drivers"}, {"accueil-namur"}),
        ({"province": "luxembourg"}, {"commune-arlon"}),
        ({"municipality": "81003"}, {"commune-arlon"}),  # Attert: served by Arlon
        ({"language": "ar"}, {"accueil-namur"}),
        ({"accepting_requests": "false"}, {"liege-solidaire"}),
        ({"q": "solidaire"}, {"liege-solidaire"}),
        ({"near": "Liège", "radius_km": 10}, {"liege-solidaire"}),
    ],
)
def test_each_search_parameter_filters_the_list(client, directory, params, expected):
    response = client.get(API, params)

    assert response.status_code == 200
    assert set(slugs(response)) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"near": "5000", "activity": "transport"},
        {"kind": "collective"},
        {"province": "namur", "need": "drivers"},
        {"near": "Gembloux", "radius_km": "50"},
        {"language": "en"},
        {"q": "namur"},
        {"municipality": "81003"},
        {},
    ],
)
def test_filters_give_the_same_organisations_in_the_same_order_as_the_html_list(
    client, directory, params
):
    html = client.get("/", params)
    api = client.get(API, params)

    assert html.status_code == api.status_code == 200
    assert html_slugs(html) == slugs(api)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"near": "9999"}, "near"),
        ({"near": "Atlantide"}, "near"),
        ({"radius_km": "500"}, "radius_km"),
        ({"radius_km": "loin"}, "radius_km"),
        ({"kind": "club"}, "kind"),
        ({"activity": "juggling"}, "activity"),
        ({"need": "money"}, "need"),
        ({"province": "bruxelles"}, "province"),
        ({"language": "xx"}, "language"),
        ({"municipality": "123456"}, "municipality"),
        ({"q": "x" * 101}, "q"),
        ({"accepting_requests": "maybe"}, "accepting_requests"),
        ({"page_size": "many"}, "page_size"),
        ({"page": "first"}, "page"),
        ({"page": ""}, "page"),
    ],
)
def test_bad_parameters_give_400_with_a_message_for_the_field(client, directory, params, field):
    response = client.get(API, params)

    assert response.status_code == 400
    body = response.json()
    # A place not found also lists the places it may have meant (tested below).
    assert [key for key in body if key != "suggestions"] == [field]
    assert body[field] and all(isinstance(message, str) and message for message in body[field])


def test_list_uses_a_constant_number_of_queries_whatever_the_page_size(
    client, commune, django_assert_max_num_queries
):
    for index in range(30):
        OrganizationFactory(
            municipality=commune("Namur" if index % 2 else "Gembloux"),
            activities=["transport", "food"], needs=["drivers"],
            area_served=[commune("Namur"), commune("Andenne")],
        )  # fmt: skip

    def queries_for(page_size: int) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response = client.get(API, {"near": "5000", "page_size": page_size})
        assert len(response.json()["results"]) == page_size
        return len(captured)

    small, large = queries_for(2), queries_for(30)
    assert small == large
    with django_assert_max_num_queries(large):
        client.get(API, {"near": "5000", "page_size": 30, "format": "geojson"})


def test_private_fields_never_appear(client, directory):
    body = client.get(API).content.decode() + client.get(API + "accueil-namur/").content.decode()

    assert "routage-secret" not in body
    assert "routing_email" not in body
    assert "members" not in body and "memberships" not in body


def test_commune_visibility_gives_the_municipality_point_and_no_address(client, directory, commune):
    namur = directory["namur"]
    item = client.get(API + "accueil-namur/").json()

    assert (item["latitude"], item["longitude"]) == (
        commune("Namur").latitude,
        commune("Namur").longitude,
    )
    assert (item["latitude"], item["longitude"]) != (namur.latitude, namur.longitude)
    assert item["address"] is None
    assert item["postal_code"] is None
    assert item["location_precision"] == "municipality"


def test_exact_visibility_gives_the_address_and_the_exact_point(client, directory):
    gembloux = directory["gembloux"]
    item = client.get(API + "chauffeurs-gembloux/").json()

    assert (item["latitude"], item["longitude"]) == (gembloux.latitude, gembloux.longitude)
    assert item["address"] == gembloux.address
    assert item["location_precision"] == "exact"


def test_detail_of_unpublished_or_unknown_organisation_is_a_json_404(client, directory):
    for slug in ("pas-publiee", "inconnue", "pas.un.slug"):
        response = client.get(f"{API}{slug}/")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")


def test_get_answers_carry_etag_and_last_modified_and_honour_conditional_requests(
    client, directory
):
    first = client.get(API, {"near": "5000"})
    etag, last_modified = first["ETag"], first["Last-Modified"]

    assert client.get(API, {"near": "5000"}, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert (
        client.get(API, {"near": "5000"}, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    )
    assert client.get(API, {"near": "4000"}, HTTP_IF_NONE_MATCH=etag).status_code == 200

    detail = client.get(API + "accueil-namur/")
    assert client.get(API + "accueil-namur/", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code == 304


def test_a_change_to_a_listed_organisation_changes_the_etag(client, directory):
    etag = client.get(API)["ETag"]
    namur = directory["namur"]
    namur.temporary_message = "Complet cette semaine"
    namur.save()

    response = client.get(API, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_anonymous_requests_are_throttled(client, directory, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})

    statuses = [client.get(API).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    assert "Retry-After" in client.get(API)


def test_geojson_is_a_feature_collection_with_the_same_filters(client, directory):
    response = client.get(API, {"format": "geojson", "near": "5000", "activity": "transport"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["count"] == 2
    assert [feature["id"] for feature in body["features"]] == [
        "accueil-namur",
        "chauffeurs-gembloux",
    ]
    feature = body["features"][0]
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] == "Point"
    assert feature["properties"]["distance_km"] is not None


def test_geojson_never_reveals_the_exact_point_of_a_commune_visibility_address(
    client, directory, commune
):
    namur = directory["namur"]
    body = client.get(API, {"format": "geojson"}).json()
    features = {feature["id"]: feature for feature in body["features"]}

    assert features["accueil-namur"]["geometry"]["coordinates"] == [
        commune("Namur").longitude,
        commune("Namur").latitude,
    ]
    text = client.get(API, {"format": "geojson"}).content.decode()
    assert str(namur.latitude) not in text and str(namur.longitude) not in text
    assert "routage-secret" not in text
    assert features["accueil-namur"]["properties"]["address"] is None
    gembloux = directory["gembloux"]
    assert features["chauffeurs-gembloux"]["geometry"]["coordinates"] == [
        gembloux.longitude,
        gembloux.latitude,
    ]


def test_geojson_bad_parameters_give_400(client, directory):
    response = client.get(API, {"format": "geojson", "near": "9999"})

    assert response.status_code == 400
    assert "near" in response.json()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/organizations/a%00b/",
        "/api/v1/organizations/?q=a%00",
        "/api/v1/organizations/?near=a%00",
        "/api/v1/organizations/?municipality=%00",
        "/api/v1/municipalities/?q=a%00",
        "/api/v1/municipalities/%00/",
        "/api/v1/hsds/organizations/%00/",
        "/api/v1/hsds/services/%00/",
    ],
)
def test_nul_bytes_in_urls_and_parameters_are_never_a_server_error(client, url):
    # PostgreSQL refuses NUL in text: such input must be turned away (or folded) before any query.
    response = client.get(url)

    assert response.status_code in (200, 400, 404)


def test_a_place_containing_a_percent_sign_is_a_400_with_the_place_quoted(client, directory):
    response = client.get(API, {"near": "50% de Namur"})

    assert response.status_code == 400
    assert "50% de Namur" in response.json()["near"][0]


@pytest.mark.parametrize("url", [API, "/api/v1/municipalities/"])
def test_a_page_far_past_the_end_is_a_404_not_a_server_error(client, directory, url):
    assert client.get(url, {"page": "143679004019425358474823860224"}).status_code == 404


def test_a_place_outside_wallonia_is_a_400_that_says_relais_covers_wallonia(client):
    response = client.get(API, {"near": "Bruxelles"})
    assert response.status_code == 400
    assert "Relais couvre la Wallonie" in str(response.json())


def test_a_search_from_a_locality_finds_the_listings_near_it(client, commune):
    from tests.factories import OrganizationFactory

    OrganizationFactory(name="Collectif de Jambes", municipality=commune("Namur"))
    OrganizationFactory(name="Collectif d'Arlon", municipality=commune("Arlon"))
    response = client.get(API, {"near": "Jambes", "radius_km": 5})
    assert response.status_code == 200
    names = [item["name"] for item in response.json()["results"]]
    assert names == ["Collectif de Jambes"]


def test_a_place_not_found_is_a_400_with_its_suggestions_as_data(client, directory):
    response = client.get(API, {"near": "Wepoin", "kind": "collective"})
    assert response.status_code == 400
    body = response.json()
    assert "Lieu introuvable" in body["near"][0]
    assert body["suggestions"][0] == {"name": "Wépion", "commune": "Namur", "query": "Wépion"}
    for suggestion in body["suggestions"]:
        assert client.get(API, {"near": suggestion["query"]}).status_code == 200


def test_an_unknown_postal_code_is_a_400_with_the_closest_codes(client, directory):
    body = client.get(API, {"near": "5009"}).json()
    assert "5009 n'est pas un code postal wallon" in body["near"][0]
    assert body["suggestions"][0] == {"name": "5004 Bouge", "commune": "Namur", "query": "5004"}


def test_a_place_outside_wallonia_carries_no_suggestions(client):
    body = client.get(API, {"near": "Bruxelles"}).json()
    assert "suggestions" not in body
