import pytest
from geopy.location import Location
from geopy.point import Point

from maps import geocoding
from maps.models import GeocodeCache
from maps.places import PlaceNotFound, autocomplete_places, resolve_place

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("5000", "5000 Namur"),
        ("Liège", "Liège"),
        ("liege", "Liège"),
        ("LIEGE", "Liège"),
        ("  Liège  ", "Liège"),
        ("Saint-Servais", "Saint-Servais (Namur)"),
        ("saint servais", "Saint-Servais (Namur)"),
        ("5000 Namur", "5000 Namur"),
        ("la louviere", "La Louvière"),
    ],
)
def test_typed_place_resolves_to_a_labelled_point(typed, label):
    place = resolve_place(typed)
    assert place.label == label
    assert 49.4 < place.latitude < 50.9
    assert 2.8 < place.longitude < 6.5


def test_commune_name_and_its_accents_give_the_same_point():
    assert resolve_place("Liège") == resolve_place("liege") == resolve_place("LIEGE")


def test_coordinates_resolve_to_themselves():
    place = resolve_place("50.46,4.87")
    assert (place.latitude, place.longitude) == (50.46, 4.87)


def test_unknown_postal_code_is_refused_with_close_codes():
    with pytest.raises(PlaceNotFound) as error:
        resolve_place("9999")
    assert "9999 n'est pas un code postal wallon" in error.value.message


def test_ambiguous_misspelling_gets_suggestions_ranked_by_spelling():
    with pytest.raises(PlaceNotFound) as error:
        resolve_place("Wepoin")
    assert error.value.suggestions[0].name == "Wépion"
    assert "Vouliez-vous dire" in error.value.message


@pytest.mark.parametrize("typed", ["abc", "", "   ", "x" * 300, "91.0,4.0"])
def test_nonsense_is_not_found_with_a_french_message(typed):
    with pytest.raises(PlaceNotFound) as error:
        resolve_place(typed)
    assert error.value.message


def test_configured_geocoder_is_asked_last_and_its_answer_cached(settings, monkeypatch):
    settings.RELAIS_GEOCODER = "nominatim"
    calls = []

    class StubNominatim:
        def __init__(self, **options):
            pass

        def geocode(self, query):
            calls.append(query)
            return Location("Rue de Fer, Namur", Point(50.465, 4.866), {})

    monkeypatch.setitem(geocoding.GEOCODERS, "nominatim", StubNominatim)
    monkeypatch.setattr(settings, "RELAIS_GEOCODER_MIN_DELAY", 0)
    geocoding._rate_limited_geocode.cache_clear()

    first = resolve_place("Rue de Fer 1, Namur")
    second = resolve_place("Rue de Fer 1, Namur")
    assert (
        (first.latitude, first.longitude) == (50.465, 4.866) == (second.latitude, second.longitude)
    )
    assert len(calls) == 1
    assert GeocodeCache.objects.filter(provider="nominatim").count() == 1
    # The gazetteer still wins for what it knows: no call for a postal code.
    resolve_place("5000")
    assert len(calls) == 1
    geocoding._rate_limited_geocode.cache_clear()


def test_autocomplete_offers_communes_and_postal_codes():
    by_name = [item["value"] for item in autocomplete_places("lie")]
    assert "Liège" in by_name
    by_code = autocomplete_places("500")
    assert by_code[0]["value"].startswith("500")
    assert "Namur" in by_code[0]["label"]


def test_dutch_names_of_walloon_communes_resolve_too():
    assert resolve_place("Luik").label == resolve_place("Liège").label
    assert resolve_place("Bergen").municipality_id == resolve_place("Mons").municipality_id


def test_labels_follow_the_reader_language():
    from django.utils import translation

    with translation.override("nl"):
        assert resolve_place("Liège").label == "Luik"
        assert resolve_place("5000").label == "5000 Namen"
    assert resolve_place("5000").label == "5000 Namur"
