"""manage.py export_organizations FILE.csv [--include-private]"""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from network.imports.columns import COLUMNS
from network.imports.selectors import organization_csv_rows, organization_export_queryset


class Command(BaseCommand):
    help = (
        "Exporte les organisations en CSV (mêmes colonnes que l'import). Sans --include-private : "
        "organisations publiées seulement, sans e-mail de routage ni adresse ou point privés."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", type=Path, help="Fichier CSV à écrire (« - » pour la sortie standard)."
        )
        parser.add_argument(
            "--include-private",
            action="store_true",
            help="Toutes les organisations et les colonnes privées (e-mail de routage, adresses et points privés).",
        )
        parser.add_argument(
            "--delimiter",
            choices=[";", ","],
            default=";",
            help="Séparateur (« ; » par défaut, celui des tableurs belges).",
        )

    def handle(self, *args, file: Path, include_private: bool, delimiter: str, **options):
        total = organization_export_queryset(include_private=include_private).count()
        rows = organization_csv_rows(include_private=include_private)
        progress = tqdm(
            rows,
            total=total,
            unit=" lignes",
            desc="Export",
            disable=options["verbosity"] == 0,
            file=self.stderr,
        )
        try:
            if str(file) == "-":
                self._write(self.stdout, progress, delimiter)
            else:
                # utf-8-sig: spreadsheets then open accents correctly.
                with file.open("w", encoding="utf-8-sig", newline="") as handle:
                    self._write(handle, progress, delimiter)
        except OSError as error:
            raise CommandError(f"Impossible d'écrire {file} : {error.strerror}.") from None
        if str(file) != "-":
            scope = (
                "toutes, colonnes privées comprises"
                if include_private
                else "publiées, sans colonnes privées"
            )
            self.stdout.write(
                self.style.SUCCESS(f"{total} organisations exportées ({scope}) dans {file}.")
            )

    def _write(self, handle, rows, delimiter: str) -> None:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
