"""Distances computed in SQL, identical on SQLite and PostgreSQL (no PostGIS).

A search first keeps the rows inside a bounding box (an indexed range scan on latitude and
longitude), then orders that handful by the haversine distance written with Django's math
functions.
"""

import math
from dataclasses import dataclass

from django.db.models import F, FloatField, Q, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt

# Mean Earth radius (IUGG), the usual choice for haversine.
EARTH_RADIUS_KM = 6371.0088
# The box and the haversine use this one sphere (a degree of latitude is 2πR/360 ≈ 111.195 km):
# with two different Earths, rows near the edge of the circle fall outside the box.
# Floating-point slack added around the box, in degrees (about a centimetre): a row exactly on
# the circle must not be lost to rounding between Python's box and the database's haversine.
_BOX_SLACK_DEGREES = 1e-7


@dataclass(frozen=True)
class BoundingBox:
    """A latitude/longitude rectangle that contains a circle."""

    min_latitude: float
    max_latitude: float
    min_longitude: float
    max_longitude: float

    def as_q(self, latitude_field: str = "latitude", longitude_field: str = "longitude") -> Q:
        """A filter that keeps rows whose point lies inside the box."""
        return Q(
            **{
                f"{latitude_field}__gte": self.min_latitude,
                f"{latitude_field}__lte": self.max_latitude,
                f"{longitude_field}__gte": self.min_longitude,
                f"{longitude_field}__lte": self.max_longitude,
            }
        )


def bounding_box(latitude: float, longitude: float, radius_km: float) -> BoundingBox:
    """The smallest latitude/longitude box that contains the spherical circle around a point.

    The circle's northern and southern ends are on its meridian, `radius / R` radians away. Its
    eastern and western ends are not due east and west but at the tangent points of the two
    meridians that touch it, poleward of the centre: there the longitude offset is
    asin(sin(r / R) / cos(latitude)) (exact on the sphere, for any radius and latitude). When the
    circle holds a pole, or crosses the antimeridian, every longitude is kept.
    """
    angular = max(radius_km, 0.0) / EARTH_RADIUS_KM
    delta_latitude = math.degrees(angular)
    min_latitude = latitude - delta_latitude - _BOX_SLACK_DEGREES
    max_latitude = latitude + delta_latitude + _BOX_SLACK_DEGREES
    cos_latitude = math.cos(math.radians(latitude))
    if max_latitude >= 90 or min_latitude <= -90 or angular >= math.pi / 2:
        # A pole (or a whole hemisphere) is inside the circle: all meridians cross it.
        return BoundingBox(max(min_latitude, -90.0), min(max_latitude, 90.0), -180.0, 180.0)
    delta_longitude = math.degrees(math.asin(min(1.0, math.sin(angular) / cos_latitude)))
    min_longitude = longitude - delta_longitude - _BOX_SLACK_DEGREES
    max_longitude = longitude + delta_longitude + _BOX_SLACK_DEGREES
    if min_longitude < -180 or max_longitude > 180:
        # The circle crosses the antimeridian; one rectangle cannot wrap, so keep every longitude.
        min_longitude, max_longitude = -180.0, 180.0
    return BoundingBox(min_latitude, max_latitude, min_longitude, max_longitude)


def destination_point(
    latitude: float, longitude: float, bearing_degrees: float, distance_km: float
) -> tuple[float, float]:
    """The point reached from a point along a great circle at an initial bearing, on the same sphere."""
    phi = math.radians(latitude)
    theta = math.radians(bearing_degrees)
    angular = distance_km / EARTH_RADIUS_KM
    sin_phi2 = math.sin(phi) * math.cos(angular) + math.cos(phi) * math.sin(angular) * math.cos(
        theta
    )
    phi2 = math.asin(max(-1.0, min(1.0, sin_phi2)))
    lambda2 = math.radians(longitude) + math.atan2(
        math.sin(theta) * math.sin(angular) * math.cos(phi),
        math.cos(angular) - math.sin(phi) * sin_phi2,
    )
    return math.degrees(phi2), (math.degrees(lambda2) + 540) % 360 - 180


def haversine_km(
    latitude: float, longitude: float, other_latitude: float, other_longitude: float
) -> float:
    """Great-circle distance in km between two points, in Python (same formula as SQL)."""
    phi1, phi2 = math.radians(latitude), math.radians(other_latitude)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(other_longitude - longitude) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def haversine_km_expression(
    latitude: float,
    longitude: float,
    latitude_field: str = "latitude",
    longitude_field: str = "longitude",
) -> Combinable:
    """An SQL expression for the great-circle distance in km from a point to each row."""
    phi = math.radians(latitude)
    row_phi = Radians(F(latitude_field))
    half_dphi = (row_phi - Value(phi)) / Value(2.0)
    half_dlambda = (Radians(F(longitude_field)) - Value(math.radians(longitude))) / Value(2.0)
    a = Power(Sin(half_dphi), 2) + Value(math.cos(phi)) * Cos(row_phi) * Power(Sin(half_dlambda), 2)
    # Rounding can push `a` a hair above 1, where ASIN is undefined.
    return Value(2 * EARTH_RADIUS_KM) * ASin(
        Least(Sqrt(a), Value(1.0), output_field=FloatField()),
        output_field=FloatField(),
    )
