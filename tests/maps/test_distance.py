import pytest
from geopy.distance import geodesic

from maps.distance import bounding_box, haversine_km, haversine_km_expression
from maps.models import Municipality

pytestmark = pytest.mark.django_db

NAMUR = (50.4669, 4.8675)


def test_sql_haversine_agrees_with_geopy_geodesic_within_half_a_percent():
    rows = Municipality.objects.annotate(km=haversine_km_expression(*NAMUR)).values_list(
        "latitude", "longitude", "km"
    )
    assert len(rows) == 261
    for latitude, longitude, km in rows:
        expected = geodesic(NAMUR, (latitude, longitude)).km
        assert km == pytest.approx(expected, rel=0.005, abs=0.01)


def test_sql_and_python_haversine_are_the_same_formula():
    liege = Municipality.objects.get(name_fr="Liège")
    sql = Municipality.objects.annotate(km=haversine_km_expression(*NAMUR)).get(pk=liege.pk).km
    assert sql == pytest.approx(haversine_km(*NAMUR, liege.latitude, liege.longitude), rel=1e-9)


def test_bounding_box_contains_every_point_within_the_radius():
    box = bounding_box(*NAMUR, 30)
    inside_circle = [
        m for m in Municipality.objects.all() if haversine_km(*NAMUR, m.latitude, m.longitude) <= 30
    ]
    in_box = set(Municipality.objects.filter(box.as_q()).values_list("pk", flat=True))
    assert inside_circle
    assert {m.pk for m in inside_circle} <= in_box
