import pytest

from maps.areas import MAX_AREA_RADIUS_KM, MIN_AREA_RADIUS_KM, area_radius_km, municipality_area
from maps.distance import haversine_km
from maps.models import Municipality

pytestmark = pytest.mark.django_db


def test_area_is_centred_on_the_public_point_of_the_commune(commune):
    namur = commune("Namur")
    area = municipality_area(namur)
    assert (area.latitude, area.longitude) == (namur.latitude, namur.longitude)


def test_area_covers_every_locality_of_the_commune():
    for municipality in Municipality.objects.prefetch_related("postal_codes"):
        area = municipality_area(municipality)
        for code in municipality.postal_codes.all():
            distance = haversine_km(area.latitude, area.longitude, code.latitude, code.longitude)
            assert distance <= area.radius_km or area.radius_km == MAX_AREA_RADIUS_KM


def test_a_commune_with_a_single_postal_code_is_still_drawn_as_a_territory():
    single = next(
        m
        for m in Municipality.objects.prefetch_related("postal_codes")
        if m.postal_codes.count() == 1
    )
    assert municipality_area(single).radius_km == MIN_AREA_RADIUS_KM


def test_radius_grows_with_the_spread_of_localities_in_half_kilometre_steps():
    # Localities 5 km north: 5 km x 1.3 margin = 6.5 km.
    assert area_radius_km(50.0, 5.0, [(50.0 + 5 / 111.2, 5.0)]) == 6.5
    assert area_radius_km(50.0, 5.0, [(51.0, 5.0)]) == MAX_AREA_RADIUS_KM
