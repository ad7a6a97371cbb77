"""The area shown for an organisation that publishes only its municipality.

Offline we have no municipal boundary polygons, only the gazetteer: one point per postal code and
the commune's point, which is the mean of them. The "area" is therefore a circle centred on the
commune's point (already public: every commune-visibility listing shares it) whose radius covers
all the commune's postal-code localities, with a floor so that a commune with one postal code is
still drawn as a territory, not a pin. Everything it uses is public gazetteer data, so the circle
cannot reveal anything about an organisation's own address.
"""

import math
from dataclasses import dataclass

from maps.distance import haversine_km
from maps.models import Municipality

# A Walloon commune covers 10 to 200 km²: a 3 km circle (28 km²) is the smallest honest "area".
MIN_AREA_RADIUS_KM = 3.0
MAX_AREA_RADIUS_KM = 12.0
# Localities sit near the middle of their own territory, so the commune reaches beyond them.
LOCALITY_MARGIN = 1.3


@dataclass(frozen=True)
class Area:
    """A circle standing for a municipality's territory."""

    latitude: float
    longitude: float
    radius_km: float


def area_radius_km(
    latitude: float, longitude: float, locality_points: list[tuple[float, float]]
) -> float:
    """Radius of the circle covering the localities around a commune's point, in 0.5 km steps."""
    spread = max(
        (haversine_km(latitude, longitude, lat, lon) for lat, lon in locality_points), default=0.0
    )
    radius = min(max(spread * LOCALITY_MARGIN, MIN_AREA_RADIUS_KM), MAX_AREA_RADIUS_KM)
    return math.ceil(radius * 2) / 2


def municipality_area(municipality: Municipality) -> Area:
    """The circle shown for a municipality: its public point and a radius from its postal codes."""
    points = [(code.latitude, code.longitude) for code in municipality.postal_codes.all()]
    return Area(
        municipality.latitude,
        municipality.longitude,
        area_radius_km(municipality.latitude, municipality.longitude, points),
    )


def municipality_areas() -> dict[int, Area]:
    """The area of every municipality, keyed by primary key, in two queries."""
    municipalities = Municipality.objects.prefetch_related("postal_codes")
    return {municipality.pk: municipality_area(municipality) for municipality in municipalities}
