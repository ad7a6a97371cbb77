"""The one module that talks to geopy: an address or place name becomes a point.

Nothing is configured by default, so Relais works offline on the gazetteer alone. A deployment
sets RELAIS_GEOCODER to "nominatim", "photon" or "pelias" (ideally self-hosted, with
RELAIS_GEOCODER_DOMAIN). Every answer, found or not, is cached in the database, and requests are
spaced by geopy's RateLimiter to respect the service's usage policy. `locate_address` falls back
on the gazetteer (the postal code's point, then the commune's) when the geocoder is not
configured, fails, finds nothing or answers with a place outside the commune.
"""

import logging
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim, Pelias, Photon

from maps.distance import haversine_km
from maps.models import GeocodeCache, Municipality, PostalCode
from maps.text import fold

logger = logging.getLogger(__name__)

GEOCODERS = {"nominatim": Nominatim, "photon": Photon, "pelias": Pelias}


@dataclass(frozen=True)
class GeocodedPoint:
    """A point found by the geocoder, with the label it gave."""

    latitude: float
    longitude: float
    label: str


class GeocoderNotConfigured(Exception):
    """RELAIS_GEOCODER names no known geocoder."""


def geocoder_is_configured() -> bool:
    """Whether a geopy geocoder is set up for this deployment."""
    return bool(settings.RELAIS_GEOCODER)


@cache
def _rate_limited_geocode(
    provider: str, domain: str, user_agent: str, timeout: float, delay: float
):
    """One RateLimiter per configuration, shared by every call of the process."""
    geocoder_class = GEOCODERS.get(provider)
    if geocoder_class is None:
        raise GeocoderNotConfigured(provider)
    options = {"timeout": timeout, "user_agent": user_agent}
    if domain:
        options["domain"] = domain
    elif provider == "pelias":
        # Pelias has no public default instance: it is always a server of one's own.
        raise GeocoderNotConfigured(f"{provider} needs RELAIS_GEOCODER_DOMAIN")
    geocoder = geocoder_class(**options)
    # One retry, one interval later: a search waits seconds at most before the gazetteer answers.
    return RateLimiter(
        geocoder.geocode,
        min_delay_seconds=delay,
        max_retries=1,
        error_wait_seconds=delay,
        swallow_exceptions=False,
    )


def _geocode_function():
    """The rate-limited geocode function for the current settings."""
    return _rate_limited_geocode(
        settings.RELAIS_GEOCODER.lower(),
        settings.RELAIS_GEOCODER_DOMAIN,
        settings.RELAIS_GEOCODER_USER_AGENT,
        settings.RELAIS_GEOCODER_TIMEOUT,
        settings.RELAIS_GEOCODER_MIN_DELAY,
    )


def geocode(query: str) -> GeocodedPoint | None:
    """Ask the configured geocoder for a Belgian place; None when not configured, not found or down."""
    if not geocoder_is_configured() or not query.strip():
        return None
    provider = settings.RELAIS_GEOCODER.lower()
    key = f"{provider}:{fold(query)}"[:300]
    cached = GeocodeCache.objects.filter(query=key).first()
    if cached is not None:
        if cached.latitude is None:
            return None
        return GeocodedPoint(cached.latitude, cached.longitude, cached.label)
    try:
        location = _geocode_function()(f"{query}, Belgique")
    except (GeopyError, GeocoderNotConfigured, OSError) as error:
        # A geocoder that is down must not break a search: the caller falls back to the
        # gazetteer. Failures are not cached, so the query is retried next time.
        logger.warning("Geocoder %s failed: %s", provider, type(error).__name__)
        return None
    point = (
        GeocodedPoint(location.latitude, location.longitude, location.address) if location else None
    )
    GeocodeCache.objects.update_or_create(
        query=key,
        defaults={
            "provider": provider,
            "latitude": point.latitude if point else None,
            "longitude": point.longitude if point else None,
            "label": point.label[:300] if point else "",
        },
    )
    return point


# An answer farther than this from the commune's point is another place with the same street
# name (there are many "Rue de la Gare"): the gazetteer is closer to the truth.
MAX_DISTANCE_FROM_COMMUNE_KM = 25.0


class PointSource:
    """Where an address's point came from, best first."""

    GEOCODER = "geocoder"
    POSTAL_CODE = "postal_code"
    MUNICIPALITY = "municipality"


@dataclass(frozen=True)
class LocatedAddress:
    """The point of an address and where it came from (a PointSource value)."""

    latitude: float
    longitude: float
    source: str


def locate_address(address: str, postal_code: str, municipality: Municipality) -> LocatedAddress:
    """The point of an address: the geocoder's, else its postal code's, else its commune's."""
    if address.strip() and geocoder_is_configured():
        point = geocode(f"{address.strip()}, {postal_code.strip()} {municipality.name_fr}".strip())
        if point is not None and (
            haversine_km(
                municipality.latitude, municipality.longitude, point.latitude, point.longitude
            )
            <= MAX_DISTANCE_FROM_COMMUNE_KM
        ):
            return LocatedAddress(point.latitude, point.longitude, PointSource.GEOCODER)
    code = (
        PostalCode.objects.filter(code=postal_code.strip(), municipality=municipality).first()
        if postal_code.strip()
        else None
    )
    if code is not None:
        return LocatedAddress(code.latitude, code.longitude, PointSource.POSTAL_CODE)
    return LocatedAddress(municipality.latitude, municipality.longitude, PointSource.MUNICIPALITY)
