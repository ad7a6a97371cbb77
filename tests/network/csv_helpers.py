"""Build organisation spreadsheets for import tests."""

import csv
import io

from network.imports.columns import COLUMNS

VALID_ROW = {
    "external_id": "tab-001",
    "name": "Collectif de Namur",
    "kind": "collective",
    "description": "Accueil, repas et trajets.",
    "activities": "shelter;transport",
    "needs": "drivers",
    "address": "Rue de Fer 12",
    "postal_code": "5000",
    "municipality": "Namur",
    "address_visibility": "commune",
    "latitude": "50.4651",
    "longitude": "4.8659",
    "email": "contact@collectif-namur.example.org",
    "phone": "+32 81 00 00 00",
    "website": "https://collectif-namur.example.org/",
    "routing_email": "prive@collectif-namur.example.org",
    "languages": "fr;en",
    "area_served": "92094;5170",
    "accepting_requests": "yes",
    "status": "published",
}


def make_csv(*rows: dict, delimiter: str = ",", bom: bool = False, columns=COLUMNS) -> bytes:
    """A CSV file (header then rows); each row overrides VALID_ROW's cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        cells = {**VALID_ROW, **row}
        writer.writerow([cells.get(column, "") for column in columns])
    data = buffer.getvalue().encode("utf-8")
    return b"\xef\xbb\xbf" + data if bom else data
