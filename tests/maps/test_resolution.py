"""What people type, resolved as a new user would try it: every input of issue 14 and more."""

import pytest

from maps.distance import haversine_km
from maps.places import OutsideWallonia, PlaceNotFound, resolve_place

pytestmark = pytest.mark.django_db

# Town centres from the GeoNames data we ship, checked by hand against the towns' main squares.
CENTRES = {
    "Namur": (50.4669, 4.8675),
    "Jambes": (50.4564, 4.8717),
    "Wépion": (50.4215, 4.8640),
    "Liège": (50.6337, 5.5675),
    "Charleroi": (50.4114, 4.4445),
    "Mons": (50.4541, 3.9523),
    "Tournai": (50.6072, 3.3893),
    "Wavre": (50.7172, 4.6014),
    "Arlon": (49.6833, 5.8167),
    "Bouillon": (49.7932, 5.0670),
    "Saint-Vith": (50.2815, 6.1272),
    "Philippeville": (50.1961, 4.5437),
    "Louvain-la-Neuve": (50.6683, 4.6144),
    "Tihange": (50.5297, 5.2618),
    "Tilff": (50.5643, 5.5764),
    "Jemelle": (50.1632, 5.2671),
    "Châtelineau": (50.4150, 4.5202),
    "Marchienne-au-Pont": (50.4057, 4.3953),
    "Jupille": (50.6459, 5.6331),
    "Eupen": (50.6279, 6.0365),
    "Huy": (50.5189, 5.2328),
    "Spa": (50.4838, 5.8667),
    "Gembloux": (50.5615, 4.6989),
    "Ath": (50.6294, 3.7780),
}

# (typed, where it must land: a key of CENTRES)
INPUTS = [
    ("5000", "Namur"),
    ("B-5000", "Namur"),
    ("B5000", "Namur"),
    ("b 5000", "Namur"),
    ("Rue de Fer 25, 5000 Namur", "Namur"),
    ("Namur 5000", "Namur"),
    ("Namur (5000)", "Namur"),
    ("5000 Namur", "Namur"),
    ("namur", "Namur"),
    ("NAMUR", "Namur"),
    ("Namen", "Namur"),
    ("Jambes", "Jambes"),
    ("jambes", "Jambes"),
    ("5100 Jambes", "Jambes"),
    ("Wépion", "Wépion"),
    ("wepion", "Wépion"),
    ("5100 Wépion", "Wépion"),
    ("Liège", "Liège"),
    ("liege", "Liège"),
    ("Luik", "Liège"),
    ("Lüttich", "Liège"),
    ("luttich", "Liège"),
    ("4000", "Liège"),
    ("4000 Liège", "Liège"),
    ("Jupille", "Jupille"),
    ("Jupille-sur-Meuse", "Jupille"),
    ("Tilff", "Tilff"),
    ("Charleroi", "Charleroi"),
    ("6000", "Charleroi"),
    ("Marchienne-au-Pont", "Marchienne-au-Pont"),
    ("marchienne au pont", "Marchienne-au-Pont"),
    ("Châtelineau", "Châtelineau"),
    ("chatelineau", "Châtelineau"),
    ("Mons", "Mons"),
    ("Bergen", "Mons"),
    ("7000", "Mons"),
    ("Tournai", "Tournai"),
    ("Doornik", "Tournai"),
    ("7500", "Tournai"),
    ("Wavre", "Wavre"),
    ("Waver", "Wavre"),
    ("1300", "Wavre"),
    ("Arlon", "Arlon"),
    ("Aarlen", "Arlon"),
    ("Arel", "Arlon"),
    ("6700", "Arlon"),
    ("Bouillon", "Bouillon"),
    ("6830", "Bouillon"),
    ("Saint-Vith", "Saint-Vith"),
    ("St. Vith", "Saint-Vith"),
    ("St-Vith", "Saint-Vith"),
    ("Sankt Vith", "Saint-Vith"),
    ("Sankt-Vith", "Saint-Vith"),
    ("4780", "Saint-Vith"),
    ("Philippeville", "Philippeville"),
    ("5600", "Philippeville"),
    ("Philippev", "Philippeville"),
    ("Louvain-la-Neuve", "Louvain-la-Neuve"),
    ("louvain la neuve", "Louvain-la-Neuve"),
    ("LLN", "Louvain-la-Neuve"),
    ("1348", "Louvain-la-Neuve"),
    ("Tihange", "Tihange"),
    ("Jemelle", "Jemelle"),
    ("Eupen", "Eupen"),
    ("4700", "Eupen"),
    ("Huy", "Huy"),
    ("Hoei", "Huy"),
    ("Spa", "Spa"),
    ("Gembloux", "Gembloux"),
    ("Gembloers", "Gembloux"),
    ("Ath", "Ath"),
    ("Aat", "Ath"),
    ("Gemblouxx", "Gembloux"),
    ("Charlerio", "Charleroi"),
    ("50.4669,4.8675", "Namur"),
    ("50,4669 4,8675", "Namur"),
    ("50,4669;4,8675", "Namur"),
    ("4.8675,50.4669", "Namur"),
    ("4,8675 50,4669", "Namur"),
    ("  Namur  ", "Namur"),
]


@pytest.mark.parametrize(("typed", "expected"), INPUTS)
def test_realistic_input_lands_at_its_town_centre(typed, expected):
    place = resolve_place(typed)
    assert haversine_km(place.latitude, place.longitude, *CENTRES[expected]) < 0.5, place


def test_there_are_at_least_80_realistic_inputs():
    assert len(INPUTS) + len(OUTSIDE) + len(ABBREVIATED) >= 80


ABBREVIATED = [
    ("St-Hubert", "Saint-Hubert"),
    ("St Hubert", "Saint-Hubert"),
    ("Saint-Hubert", "Saint-Hubert"),
    ("St-Ghislain", "Saint-Ghislain"),
]


@pytest.mark.parametrize(("typed", "label"), ABBREVIATED)
def test_abbreviations_are_expanded(typed, label):
    assert resolve_place(typed).label == label


OUTSIDE = [
    ("Bruxelles", "Région de Bruxelles-Capitale"),
    ("Brussel", "Région de Bruxelles-Capitale"),
    ("bxl", "Région de Bruxelles-Capitale"),
    ("1000", "Région de Bruxelles-Capitale"),
    ("1000 Bruxelles", "Région de Bruxelles-Capitale"),
    ("Leuven", "Flandre"),
    ("3000", "Flandre"),
    ("Gent", "Flandre"),
    ("Lille", "France"),
    ("Maastricht", "Pays-Bas"),
    ("Aachen", "Allemagne"),
]


@pytest.mark.parametrize(("typed", "where"), OUTSIDE)
def test_a_place_outside_wallonia_says_so(typed, where):
    with pytest.raises(OutsideWallonia) as error:
        resolve_place(typed)
    assert where in error.value.message
    assert "Relais couvre la Wallonie" in error.value.message
    assert not error.value.suggestions


def test_bruxelles_suggests_no_walloon_village():
    with pytest.raises(OutsideWallonia) as error:
        resolve_place("Bruxelles")
    assert "Bruyelle" not in error.value.message


def test_swapped_coordinates_are_the_belgian_point_not_one_6600_km_away():
    place = resolve_place("4.87,50.46")
    assert (place.latitude, place.longitude) == (50.46, 4.87)


def test_coordinates_far_from_wallonia_are_refused():
    with pytest.raises(OutsideWallonia) as error:
        resolve_place("40.71,-74.00")
    assert "hors de Wallonie" in error.value.message


def test_a_near_miss_suggests_by_spelling_and_never_a_far_place():
    with pytest.raises(PlaceNotFound) as error:
        resolve_place("Wepoin")
    assert error.value.suggestions[0].name == "Wépion"
    assert "Erpion" not in [suggestion.name for suggestion in error.value.suggestions]


def test_localities_belong_to_their_commune():
    assert resolve_place("Jambes").label == "Jambes (Namur)"
    assert resolve_place("Tihange").label == "Tihange (Huy)"
    assert resolve_place("Jemelle").label == "Jemelle (Rochefort)"
    assert resolve_place("Châtelineau").label == "Châtelineau (Châtelet)"
    assert resolve_place("Tilff").label == "Tilff (Esneux)"


def test_a_resolved_label_typed_back_is_the_same_place():
    for typed in ("Jambes", "Wépion", "Tilff", "Louvain-la-Neuve", "5000"):
        place = resolve_place(typed)
        again = resolve_place(place.label)
        assert (again.latitude, again.longitude) == (place.latitude, place.longitude)


def test_a_place_in_brackets_after_its_name_is_looked_for_in_that_commune():
    assert resolve_place("Wépion (Namur)").label == "Wépion (Namur)"
    assert resolve_place("wepion (namur)").label == "Wépion (Namur)"


def test_every_suggestion_leads_back_to_its_own_place():
    from maps.places import _index, _suggestion

    index = _index()
    for targets in index.walloon.values():
        target = targets[0]
        suggestion = _suggestion(target, index)
        place = resolve_place(suggestion.query)
        assert (place.latitude, place.longitude, place.municipality_id) == (
            target.latitude,
            target.longitude,
            target.municipality.pk,
        ), suggestion


def test_a_namesake_is_suggested_with_its_commune_so_that_its_query_finds_it():
    from maps.places import Suggestion, place_suggestions

    assert place_suggestions("saint denis bovese")[:2] == [
        Suggestion("Saint-Denis", "La Bruyère", "Saint-Denis (La Bruyère)"),
        Suggestion("Saint-Denis", "Mons", "Saint-Denis"),
    ]
    assert resolve_place("Saint-Denis").label == "Saint-Denis (Mons)"
    assert resolve_place("Saint-Denis (La Bruyère)").label == "Saint-Denis (La Bruyère)"
