import pytest

from maps.gazetteer import load_gazetteer
from maps.models import Municipality, PostalCode, Province

# Wallonia's bounding box, with a small margin.
SOUTH, NORTH, WEST, EAST = 49.45, 50.85, 2.80, 6.45

pytestmark = pytest.mark.django_db


def test_gazetteer_has_every_walloon_municipality_and_postal_code():
    assert Municipality.objects.count() == 261
    assert PostalCode.objects.count() == 606
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


def test_loading_twice_changes_nothing():
    before = list(PostalCode.objects.order_by("pk").values())
    summary = load_gazetteer()
    assert summary.municipalities_created == summary.postal_codes_created == 0
    assert summary.municipalities_updated == summary.postal_codes_updated == 0
    assert list(PostalCode.objects.order_by("pk").values()) == before
