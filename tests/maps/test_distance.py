import pytest
from geopy.distance import geodesic

from maps.distance import (
    EARTH_RADIUS_KM,
    bounding_box,
    destination_point,
    haversine_km,
    haversine_km_expression,
)
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


# Wallonia's south and north, then farther away: the box must be exact anywhere.
LATITUDES = [49.5, 50.47, 50.8, 0.0, -33.9, 64.1, 78.2]


def inside(box, latitude, longitude):
    return (
        box.min_latitude <= latitude <= box.max_latitude
        and box.min_longitude <= longitude <= box.max_longitude
    )


@pytest.mark.parametrize("latitude", LATITUDES)
@pytest.mark.parametrize("radius_km", [0.5, 20, 150, 900])
def test_bounding_box_contains_the_whole_circle_at_any_latitude(latitude, radius_km):
    box = bounding_box(latitude, 4.87, radius_km)
    for bearing in range(0, 360, 3):
        point = destination_point(latitude, 4.87, bearing, radius_km * 0.99999)
        assert inside(box, *point), (bearing, point)


@pytest.mark.parametrize("latitude", LATITUDES)
def test_bounding_box_is_no_wider_than_the_circle(latitude):
    """Each edge of the box is touched by the circle: it keeps no more rows than it must."""
    box = bounding_box(latitude, 4.87, 20)
    points = [destination_point(latitude, 4.87, tenth / 10, 20) for tenth in range(3600)]
    assert max(lat for lat, _ in points) == pytest.approx(box.max_latitude, abs=1e-6)
    assert min(lat for lat, _ in points) == pytest.approx(box.min_latitude, abs=1e-6)
    assert max(lon for _, lon in points) == pytest.approx(box.max_longitude, abs=1e-6)
    assert min(lon for _, lon in points) == pytest.approx(box.min_longitude, abs=1e-6)


def test_a_degree_of_latitude_on_the_haversine_sphere_is_111_195_km():
    box = bounding_box(50.0, 4.0, EARTH_RADIUS_KM * 3.141592653589793 / 180)
    assert box.max_latitude == pytest.approx(51.0, abs=1e-6)
    assert haversine_km(50.0, 4.0, 51.0, 4.0) == pytest.approx(111.195, abs=0.001)


def test_bounding_box_around_a_pole_keeps_every_longitude():
    box = bounding_box(89.95, 4.87, 20)
    assert (box.min_longitude, box.max_longitude, box.max_latitude) == (-180.0, 180.0, 90.0)


def test_bounding_box_across_the_antimeridian_keeps_every_longitude():
    box = bounding_box(-17.8, 179.95, 20)
    assert inside(box, *destination_point(-17.8, 179.95, 90, 19.99))
