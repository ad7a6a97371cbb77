"""The one module that uses folium: every map of Relais is described here.

folium's own output is an HTML page with inline scripts and CDN links to Leaflet, jQuery,
Bootstrap and Font Awesome. Relais cannot use it as is: nothing may load from another site, and
the pages must work under a Content-Security-Policy without 'unsafe-inline'. So each map is built
as a folium element tree (map, tile layer, circle, marker, cluster, bounds), then translated into
a small JSON "spec" that the page carries in a data- attribute; the static script
static/relais/maps.js turns the spec into Leaflet objects with the self-hosted assets listed in
MAP_ASSETS. The listings themselves never go into the page: the script loads them from a JSON
endpoint in the compact array format written by `encode_results`, so the page's HTML keeps the
same size whether there are ten listings or ten thousand.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import folium
from django.conf import settings
from folium.plugins import MarkerCluster
from folium.utilities import camelize

from maps.areas import Area
from maps.distance import bounding_box

# Wallonia with a small margin: the view when nothing narrows the search.
WALLONIA_BOUNDS = [[49.45, 2.80], [50.85, 6.45]]
WALLONIA_CENTRE = [50.25, 4.75]
# Markers need no more than 4 decimals (about 11 m): shorter on the wire, and no public point
# is more precise than the address it stands for.
COORDINATE_DECIMALS = 4
# Above this zoom a commune's area would fill the screen and look like a precise place.
AREA_MAX_ZOOM = 13
# On the coverage map every commune is drawn; full-size areas would hide their neighbours.
COVERAGE_AREA_SCALE = 0.7


@dataclass(frozen=True)
class MapAssets:
    """Static files (paths for Django's `static`) that a page with a map must load."""

    css: tuple[str, ...]
    js: tuple[str, ...]


# Replaces folium's default_css/default_js (CDN URLs) with the XStatic packages served by the
# site (see STATICFILES_DIRS); jQuery and Bootstrap are not needed at all. The XStatic package
# of markercluster ships the source map of its -src build only; the minified file points to a
# map that does not exist, which makes collectstatic's manifest storage fail. WhiteNoise
# compresses the -src build for the wire anyway.
MAP_ASSETS = MapAssets(
    css=(
        "vendor/leaflet/leaflet.css",
        "vendor/leaflet-markercluster/MarkerCluster.css",
        "vendor/leaflet-markercluster/MarkerCluster.Default.css",
        "relais/maps.css",
    ),
    js=(
        "vendor/leaflet/leaflet.js",
        "vendor/leaflet-markercluster/leaflet.markercluster-src.js",
        "relais/maps.js",
    ),
)


@dataclass(frozen=True)
class ResultRow:
    """One listing on the results map: its public point and what its popup shows."""

    latitude: float
    longitude: float
    kind: int
    needs_mask: int
    name: str
    slug: str


@dataclass(frozen=True)
class CoverageRow:
    """One municipality on the coverage map."""

    name: str
    area: Area
    organizations: int


def _base_map(location: list[float], zoom: int, max_zoom: int = 18) -> folium.Map:
    """A folium map on the configured tile server (RELAIS_TILE_URL), no other layer."""
    # Quarter zoom steps let fitBounds fill the frame instead of leaving Wallonia small.
    folium_map = folium.Map(location=location, zoom_start=zoom, tiles=None, zoom_snap=0.25)
    # With tiles=None folium keeps no zoom limit on the map itself; the area map needs one.
    folium_map.options["max_zoom"] = max_zoom
    folium.TileLayer(
        tiles=settings.RELAIS_TILE_URL,
        attr=settings.RELAIS_TILE_ATTRIBUTION,
        max_zoom=max_zoom,
        name="tiles",
    ).add_to(folium_map)
    return folium_map


def _circle_bounds(latitude: float, longitude: float, radius_km: float) -> list[list[float]]:
    box = bounding_box(latitude, longitude, radius_km)
    return [[box.min_latitude, box.min_longitude], [box.max_latitude, box.max_longitude]]


def results_map(
    place: tuple[float, float] | None = None, place_label: str = "", radius_km: float | None = None
) -> folium.Map:
    """The search results map: clustered listings (loaded later), the searched place and radius."""
    folium_map = _base_map(WALLONIA_CENTRE, 8)
    if place is not None and radius_km:
        folium.Circle(
            location=list(place),
            radius=radius_km * 1000,
            color="#0b5c8a",
            weight=2,
            fill=True,
            fill_opacity=0.06,
            interactive=False,
        ).add_to(folium_map)
        folium.Marker(location=list(place), tooltip=place_label).add_to(folium_map)
        folium.FitBounds(_circle_bounds(place[0], place[1], radius_km)).add_to(folium_map)
    else:
        folium.FitBounds(WALLONIA_BOUNDS).add_to(folium_map)
    # chunkedLoading keeps the page responsive while 10,000 markers are clustered.
    MarkerCluster(name="results", chunked_loading=True, show_coverage_on_hover=False).add_to(
        folium_map
    )
    return folium_map


def point_map(latitude: float, longitude: float, label: str) -> folium.Map:
    """A listing's mini-map when its address is public: a marker on the exact point."""
    folium_map = _base_map([latitude, longitude], 15)
    folium.Marker(location=[latitude, longitude], tooltip=label).add_to(folium_map)
    return folium_map


def area_map(area: Area, label: str) -> folium.Map:
    """A listing's mini-map when only the commune is public: the commune's area, no marker."""
    folium_map = _base_map([area.latitude, area.longitude], 11, max_zoom=AREA_MAX_ZOOM)
    folium.Circle(
        location=[area.latitude, area.longitude],
        radius=area.radius_km * 1000,
        color="#8a3b00",
        weight=2,
        fill=True,
        fill_opacity=0.15,
        tooltip=label,
    ).add_to(folium_map)
    folium.FitBounds(_circle_bounds(area.latitude, area.longitude, area.radius_km)).add_to(
        folium_map
    )
    return folium_map


def coverage_map() -> folium.Map:
    """The staff coverage map: every municipality as an area, coloured by the data loaded later."""
    folium_map = _base_map(WALLONIA_CENTRE, 8, max_zoom=13)
    folium.FeatureGroup(name="coverage").add_to(folium_map)
    folium.FitBounds(WALLONIA_BOUNDS).add_to(folium_map)
    return folium_map


def _options(options: dict[str, Any]) -> dict[str, Any]:
    """folium keeps some options in snake_case and camelises them when it writes JavaScript."""
    return {camelize(key): value for key, value in options.items() if value is not None}


def _tooltip(element: folium.Element) -> str:
    for child in element._children.values():
        if isinstance(child, folium.Tooltip):
            return str(child.text)
    return ""


def _layer_spec(element: folium.Element) -> dict[str, Any]:
    """One folium element as a plain dict that static/relais/maps.js knows how to draw."""
    if isinstance(element, folium.TileLayer):
        return {"type": "tiles", "url": element.tiles, "options": _options(element.options)}
    if isinstance(element, MarkerCluster):
        return {"type": "cluster", "name": element.layer_name, "options": _options(element.options)}
    if isinstance(element, folium.FeatureGroup):
        return {"type": "group", "name": element.layer_name}
    if isinstance(element, folium.Circle):
        return {
            "type": "circle",
            "location": element.location,
            "options": _options(element.options),
            "tooltip": _tooltip(element),
        }
    if isinstance(element, folium.Marker):
        return {"type": "marker", "location": element.location, "tooltip": _tooltip(element)}
    if isinstance(element, folium.FitBounds):
        return {"type": "bounds", "bounds": element.bounds, "options": _options(element.options)}
    raise TypeError(f"No spec for folium element {type(element).__name__}")


def map_spec(folium_map: folium.Map, fit_data: bool = False) -> dict[str, Any]:
    """The JSON-ready description of a folium map, for a data- attribute (no inline script).

    `fit_data` asks the script to zoom on the loaded data once it has arrived.
    """
    return {
        "center": folium_map.location,
        "fitData": fit_data,
        "options": _options(folium_map.options),
        "layers": [_layer_spec(child) for child in folium_map._children.values()],
    }


def map_spec_json(folium_map: folium.Map, fit_data: bool = False) -> str:
    """`map_spec` as compact JSON (Django's autoescape makes it safe inside an attribute)."""
    return json.dumps(map_spec(folium_map, fit_data), separators=(",", ":"), ensure_ascii=False)


def _coordinate(value: float) -> float:
    return round(value, COORDINATE_DECIMALS)


def encode_results(
    rows: Iterable[ResultRow], kinds: list[tuple[str, str]], needs: list[str]
) -> bytes:
    """The results map's data: labels once, then one short array per listing.

    Format: {"kinds": [[slug, label], ...], "needs": [label, ...],
    "rows": [[lat, lon, kind index, needs bitmask, name, slug], ...]}. Arrays rather than GeoJSON
    features, because property names repeated 10,000 times would triple the size.
    """
    payload = {
        "kinds": [list(kind) for kind in kinds],
        "needs": list(needs),
        "rows": [
            [
                _coordinate(row.latitude),
                _coordinate(row.longitude),
                row.kind,
                row.needs_mask,
                row.name,
                row.slug,
            ]
            for row in rows
        ],
    }
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def encode_coverage(rows: Iterable[CoverageRow]) -> bytes:
    """The coverage map's data: [[name, lat, lon, radius km, organisations], ...].

    Areas are drawn at COVERAGE_AREA_SCALE of their size so neighbouring communes stay apart,
    and the uncovered ones come last so that they are drawn on top.
    """
    ordered = sorted(rows, key=lambda row: -row.organizations)
    payload = {
        "rows": [
            [
                row.name,
                _coordinate(row.area.latitude),
                _coordinate(row.area.longitude),
                round(row.area.radius_km * COVERAGE_AREA_SCALE, 2),
                row.organizations,
            ]
            for row in ordered
        ]
    }
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
