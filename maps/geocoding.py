"""The one module that talks to geopy: an address or place name becomes a point.

Nothing is configured by default, so Relais works offline on the gazetteer alone. A deployment
sets RELAIS_GEOCODER to "nominatim", "photon" or "pelias" (ideally self-hosted, with
RELAIS_GEOCODER_DOMAIN). Every answer, found or not, is cached in the database, and requests are
spaced by geopy's RateLimiter to respect the service's usage policy.
"""

import logging
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim, Pelias, Photon

from maps.models import GeocodeCache
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
    geocoder_class = GEOCODERS.get(provider)
    if geocoder_class is None:
        raise GeocoderNotConfigured(provider)
    options = {"timeout": timeout}
    if geocoder_class is Pelias:
        options["domain"] = domain
    else:
        options["user_agent"] = user_agent
        if domain:
            options["domain"] = domain
    geocoder = geocoder_class(**options)
    return RateLimiter(
        geocoder.geocode, min_delay_seconds=delay, max_retries=1, swallow_exceptions=False
    )


def _geocode_function():
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
