import re

import pytest
from geopy.distance import geodesic

from network.listings.models import Organization
from tests.factories import OrganizationFactory, real_commune

pytestmark = pytest.mark.django_db


def result_names(response) -> list[str]:
    """The organisation names of the result cards, in page order."""
    html = response.content.decode()
    return re.findall(r'<h3 id="org-\d+">\s*<a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def around_namur():
    """Organisations at known places around Namur, and one far away in Arlon."""
    return {
        "namur": OrganizationFactory(name="Accueil Namur", municipality=real_commune("Namur")),
        "gembloux": OrganizationFactory(
            name="Chauffeurs de Gembloux",
            municipality=real_commune("Gembloux"),
            activities=["transport"],
            needs=["drivers"],
        ),
        "andenne": OrganizationFactory(
            name="Repas Andenne",
            kind=Organization.Kind.ASSOCIATION,
            municipality=real_commune("Andenne"),
            activities=["food"],
            needs=["volunteers", "food-donations"],
            languages="fr,ar",
        ),
        "arlon": OrganizationFactory(name="Arlon Solidaire", municipality=real_commune("Arlon")),
    }


def test_near_a_postal_code_lists_the_nearest_first_with_distances(client, around_namur):
    response = client.get("/", {"near": "5000"})
    assert response.status_code == 200
    # From Namur's centre (no longer Beez, 4 km east), Gembloux is nearer than Andenne.
    assert result_names(response) == ["Accueil Namur", "Chauffeurs de Gembloux", "Repas Andenne"]
    assert "km" in response.content.decode()
    assert "Arlon Solidaire" not in response.content.decode()


def test_near_me_order_agrees_with_geopy_geodesic_distances(client, around_namur):
    response = client.get("/", {"near": "Marche-en-Famenne", "radius_km": 100})
    marche = real_commune("Marche-en-Famenne")
    origin = (marche.latitude, marche.longitude)
    by_name = {org.name: org for org in around_namur.values()}
    names = result_names(response)
    assert len(names) == 4
    distances = [
        geodesic(origin, (by_name[n].public_latitude, by_name[n].public_longitude)).km
        for n in names
    ]
    assert distances == sorted(distances)


def test_without_a_place_results_are_sorted_by_name(client, around_namur):
    names = result_names(client.get("/"))
    assert names == sorted(names)
    assert len(names) == 4


def test_accent_insensitive_place_gives_the_same_results(client, around_namur):
    assert result_names(client.get("/", {"near": "liege"})) == result_names(
        client.get("/", {"near": "Liège"})
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "association"}, ["Repas Andenne"]),
        ({"activity": "transport"}, ["Chauffeurs de Gembloux"]),
        ({"activity": ["transport", "food"]}, ["Chauffeurs de Gembloux", "Repas Andenne"]),
        ({"need": "volunteers"}, ["Repas Andenne"]),
        ({"need": "drivers", "activity": "food"}, []),
        ({"province": "luxembourg"}, ["Arlon Solidaire"]),
        ({"language": "ar"}, ["Repas Andenne"]),
        ({"q": "REPAS"}, ["Repas Andenne"]),
        ({"q": "chauffeurs gembloux"}, ["Chauffeurs de Gembloux"]),
        ({"near": "5000", "kind": "collective"}, ["Accueil Namur", "Chauffeurs de Gembloux"]),
        ({"near": "5000", "radius_km": "5"}, ["Accueil Namur"]),
        ({"municipality": "92094"}, ["Accueil Namur"]),
    ],
)
def test_filters_combine(client, around_namur, params, expected):
    assert result_names(client.get("/", params)) == expected


def test_accepting_requests_filter_keeps_only_those_that_accept(client, around_namur):
    paused = around_namur["namur"]
    paused.accepting_requests = False
    paused.save()
    names = result_names(client.get("/", {"accepting_requests": "true"}))
    assert "Accueil Namur" not in names and len(names) == 3


def test_text_search_ignores_accents(client):
    OrganizationFactory(name="Hébergeurs de Liège", description="Hospitalité")
    assert result_names(client.get("/", {"q": "hebergeurs liege"})) == ["Hébergeurs de Liège"]


def test_area_served_counts_for_the_municipality_filter(client):
    OrganizationFactory(
        name="Collectif mobile",
        municipality=real_commune("Namur"),
        area_served=[real_commune("Dinant")],
    )
    dinant = real_commune("Dinant").refnis
    assert result_names(client.get("/", {"municipality": dinant})) == ["Collectif mobile"]


def test_unpublished_organisations_never_show(client):
    for status in ("pending", "suspended", "closed"):
        OrganizationFactory(name=f"Fiche {status}", status=status)
    OrganizationFactory(name="Fiche publiée")
    assert result_names(client.get("/")) == ["Fiche publiée"]
    hidden = Organization.objects.get(name="Fiche pending")
    assert client.get(f"/organisations/{hidden.slug}/").status_code == 404


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"near": "9999"}, "n&#x27;est pas un code postal wallon"),
        ({"near": "abc"}, "Lieu introuvable"),
        ({"near": "5000", "radius_km": "-3"}, "au moins 1 km"),
        ({"near": "5000", "radius_km": "10000"}, "ne peut pas dépasser 100 km"),
        ({"near": "5000", "radius_km": "loin"}, "nombre de kilomètres"),
        ({"activity": "teleportation"}, "Activité inconnue"),
        ({"need": "licornes"}, "Besoin inconnu"),
        ({"kind": "club"}, "Type d&#x27;organisation inconnu"),
        ({"province": "bruxelles"}, "Province inconnue"),
        ({"page": "abc"}, ""),
    ],
)
def test_bad_input_gets_a_french_message_and_a_usable_page(client, around_namur, params, message):
    response = client.get("/", params)
    assert response.status_code == 200
    assert message in response.content.decode()
    # The valid criteria still apply and results are still shown.
    assert result_names(response)


def test_list_page_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    def count_queries(how_many: int) -> int:
        Organization.objects.all().delete()
        for _ in range(how_many):
            OrganizationFactory(activities=["food", "transport"], needs=["drivers"])
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response = client.get("/", {"near": "5000"})
        assert len(result_names(response)) == min(how_many, 20)
        return len(captured)

    assert count_queries(3) == count_queries(25)


def test_pagination_keeps_the_search_in_its_links(client):
    for number in range(25):
        OrganizationFactory(name=f"Collectif {number:02d}")
    response = client.get("/", {"near": "5000", "kind": "collective"})
    html = response.content.decode()
    assert "near=5000&amp;kind=collective&amp;page=2" in html
    second = client.get("/", {"near": "5000", "kind": "collective", "page": 2})
    assert len(result_names(second)) == 5


def test_place_suggestions_endpoint_answers_json(client):
    response = client.get("/lieux/suggestions/", {"q": "5002"})
    assert response.json()["results"][0]["label"].startswith("5002 Saint-Servais")


def suggestion_links(response) -> list[tuple[str, str]]:
    """(href, text) of the places offered below a failed place search."""
    html = response.content.decode()
    block = re.search(r'<ul class="place-suggestions[^"]*">(.*?)</ul>', html, re.S)
    if block is None:
        return []
    # Only the query string: the page's path and its #resultats anchor are the form's own.
    return [
        ("?" + href.replace("&amp;", "&").split("?", 1)[1].split("#", 1)[0], text.strip())
        for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', block.group(1))
    ]


def test_a_place_not_found_offers_links_to_the_same_search_from_each_suggestion(
    client, around_namur
):
    response = client.get(
        "/", {"near": "Wepoin", "radius_km": "10", "kind": "collective", "page": "2"}
    )
    links = suggestion_links(response)
    assert links[0] == ("?near=W%C3%A9pion&radius_km=10&kind=collective", "Wépion (Namur)")
    # The names are links, not repeated as plain text in the message.
    assert "Vouliez-vous dire : W" not in response.content.decode()

    followed = client.get("/" + links[0][0])
    assert result_names(followed) == ["Accueil Namur"]
    assert "à moins de 10 km de Wépion (Namur)" in followed.content.decode()


def test_an_unknown_postal_code_offers_the_closest_codes_as_links(client, around_namur):
    links = suggestion_links(client.get("/", {"near": "5009"}))
    assert [text for _href, text in links] == [
        "5004 Bouge (Namur)",
        "5003 Saint-Marc (Namur)",
        "5002 Saint-Servais (Namur)",
    ]
    assert links[0][0] == "?near=5004"


def test_a_place_outside_wallonia_offers_no_links(client, around_namur):
    response = client.get("/", {"near": "Bruxelles"})
    assert "Relais couvre la Wallonie" in response.content.decode()
    assert suggestion_links(response) == []


def test_the_map_page_offers_the_same_links_back_to_the_map(client, around_namur):
    response = client.get("/carte/", {"near": "Wepoin", "need": "drivers"})
    assert suggestion_links(response)[0] == ("?near=W%C3%A9pion&need=drivers", "Wépion (Namur)")


def test_search_form_brings_the_results_to_the_top_of_the_screen(client):
    html = client.get("/").content.decode()
    assert 'action="/#resultats"' in html
    assert 'id="resultats"' in html


def test_active_filters_show_as_chips_that_remove_them(client, around_namur):
    html = client.get("/", {"near": "5000", "need": ["drivers", "hosts"]}).content.decode()
    assert "Près de 5000 Namur" in html
    # Removing "Chauffeurs" keeps the place and the other need.
    assert 'href="/?near=5000&amp;need=hosts#resultats"' in html
    assert 'href="/?need=drivers&amp;need=hosts#resultats"' in html


def test_rejected_place_offers_its_suggestions_as_search_links(client):
    html = client.get("/", {"near": "Ciney-x"}).content.decode()
    assert 'href="/?near=Ciney#resultats"' in html


def test_needs_show_how_many_results_have_them(client):
    OrganizationFactory(needs=["drivers"])
    OrganizationFactory(needs=["drivers", "hosts"])
    html = client.get("/").content.decode()
    assert re.search(r'value="drivers"[^>]*>\s*Chauffeurs\s*<span class="count">\(2\)</span>', html)
    assert re.search(r'value="hosts"[^>]*>\s*Hébergeurs\s*<span class="count">\(1\)</span>', html)


def test_favicon_ico_is_the_sites_own_icon(client):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("relais/icons/favicon.ico")
    assert finders.find("relais/icons/favicon.ico")
