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
KM_PER_DEGREE_LATITUDE = 111.32


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
    """The smallest latitude/longitude box that contains the circle around a point."""
    delta_latitude = radius_km / KM_PER_DEGREE_LATITUDE
    # Near the poles a degree of longitude shrinks to nothing; Wallonia is far from them,
    # but keep the box finite anyway.
    cos_latitude = max(math.cos(math.radians(latitude)), 0.01)
    delta_longitude = radius_km / (KM_PER_DEGREE_LATITUDE * cos_latitude)
    return BoundingBox(
        latitude - delta_latitude,
        latitude + delta_latitude,
        longitude - delta_longitude,
        longitude + delta_longitude,
    )


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
