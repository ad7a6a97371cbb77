import gzip
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from maps.rendering import MAP_ASSETS
from network.listings.models import Organization
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def map_data(client, **params) -> dict:
    return json.loads(client.get(reverse("directory:map_data"), params).content)


def names(data) -> set[str]:
    return {row[4] for row in data["rows"]}


def test_map_data_follows_the_same_filters_as_the_list(client, commune):
    OrganizationFactory(
        name="Chauffeurs de Namur", municipality=commune("Namur"), needs=["drivers"]
    )
    OrganizationFactory(name="Hébergeurs de Namur", municipality=commune("Namur"), needs=["hosts"])
    OrganizationFactory(name="Chauffeurs d'Arlon", municipality=commune("Arlon"), needs=["drivers"])
    OrganizationFactory(
        name="En attente", municipality=commune("Namur"), status=Organization.Status.PENDING
    )

    query = {"near": "5000", "radius_km": "25", "need": "drivers"}
    listed = client.get(reverse("directory:search"), query).content.decode()
    data = map_data(client, **query)

    assert names(data) == {"Chauffeurs de Namur"}
    assert "Chauffeurs de Namur" in listed and "Chauffeurs d&#x27;Arlon" not in listed
    assert names(map_data(client)) == {
        "Chauffeurs de Namur",
        "Hébergeurs de Namur",
        "Chauffeurs d'Arlon",
    }


def test_map_data_never_holds_the_exact_point_of_a_private_address(client, commune):
    OrganizationFactory(municipality=commune("Ciney"), latitude=50.312345, longitude=5.123456)
    body = client.get(reverse("directory:map_data")).content.decode()
    [row] = json.loads(body)["rows"]
    assert row[:2] == [round(commune("Ciney").latitude, 4), round(commune("Ciney").longitude, 4)]
    for fragment in ("50.312", "5.1234", "50.3123", "5.12345"):
        assert fragment not in body


def test_map_data_leaks_no_private_contact(client):
    organization = OrganizationFactory(routing_email="secret-routage@example.org")
    body = client.get(reverse("directory:map_data")).content.decode()
    assert organization.routing_email not in body
    assert organization.email not in body


def test_map_data_is_compressed_for_browsers_that_accept_it(client):
    OrganizationFactory.create_batch(30)
    response = client.get(reverse("directory:map_data"), headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(response.content))["rows"]) == 30


def test_map_page_html_does_not_grow_with_the_number_of_listings(client):
    OrganizationFactory.create_batch(2)
    small = client.get(reverse("directory:map")).content.decode()
    OrganizationFactory.create_batch(60)
    large = client.get(reverse("directory:map")).content.decode()
    # Only the count in the heading changes ("2 résultats" -> "62 résultats").
    assert len(large) - len(small) == 1
    assert "Collectif test" not in large


def test_map_page_keeps_the_query_in_the_form_the_toggle_and_the_data_url(client):
    response = client.get(
        reverse("directory:map"), {"near": "Namur", "need": "drivers", "page": "3"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Namur"' in html
    assert 'href="/?near=Namur&amp;need=drivers#resultats"' in html
    assert 'data-map-data="/carte/donnees.json?near=Namur&amp;need=drivers"' in html
    # Submitting the form on the map page lands on the map, not on the top of the form.
    assert 'action="/carte/#carte"' in html


def test_map_page_draws_the_searched_place_with_its_radius(client):
    html = client.get(
        reverse("directory:map"), {"near": "5000", "radius_km": "12"}
    ).content.decode()
    spec = json.loads(re.search(r'data-map-spec="([^"]+)"', html).group(1).replace("&quot;", '"'))
    circle = next(layer for layer in spec["layers"] if layer["type"] == "circle")
    assert circle["options"]["radius"] == 12000
    assert "à moins de 12 km de 5000 Namur" in " ".join(html.split())


def test_list_page_offers_the_map_with_the_same_query(client):
    html = client.get(
        reverse("directory:search"), {"near": "Namur", "kind": "collective"}
    ).content.decode()
    assert 'href="/carte/?near=Namur&amp;kind=collective#carte"' in html


def test_an_unknown_place_is_reported_and_the_other_filters_still_apply(client, commune):
    OrganizationFactory(name="Chauffeurs", municipality=commune("Namur"), needs=["drivers"])
    OrganizationFactory(name="Hébergeurs", municipality=commune("Namur"), needs=["hosts"])
    response = client.get(reverse("directory:map"), {"near": "Atlantide", "need": "drivers"})
    assert response.status_code == 200
    assert "Lieu introuvable" in response.content.decode()
    assert names(map_data(client, near="Atlantide", need="drivers")) == {"Chauffeurs"}


def test_map_assets_are_served_by_the_site_and_pages_load_nothing_from_elsewhere(client):
    for path in MAP_ASSETS.css + MAP_ASSETS.js:
        assert finders.find(path), path
    organization = OrganizationFactory()
    for url in (
        reverse("directory:map"),
        reverse("directory:organization_detail", args=[organization.slug]),
    ):
        html = client.get(url).content.decode()
        sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
        assert sources and all(source.startswith("/static/") for source in sources)
        # No inline script: a Content-Security-Policy without 'unsafe-inline' can be adopted.
        assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None


def test_map_link_is_in_the_navigation(client):
    html = client.get(reverse("directory:about")).content.decode()
    assert f'href="{reverse("directory:map")}"' in html


def test_the_radius_narrows_the_map_as_it_narrows_the_list(client, commune):
    OrganizationFactory(name="À Namur", municipality=commune("Namur"))
    OrganizationFactory(name="À Gembloux", municipality=commune("Gembloux"))
    assert names(map_data(client, near="Namur", radius_km="5")) == {"À Namur"}
    assert names(map_data(client, near="Namur", radius_km="30")) == {"À Namur", "À Gembloux"}
    html = client.get(
        reverse("directory:search"), {"near": "Namur", "radius_km": "5"}
    ).content.decode()
    assert "1 résultat à moins de 5 km de Namur" in " ".join(html.split())
