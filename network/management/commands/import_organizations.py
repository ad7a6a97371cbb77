"""manage.py import_organizations FILE.csv [--dry-run] [--update] [--skip-invalid]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from network.imports.columns import COLUMNS
from network.imports.services import ImportFileError, organizations_import_csv


class Command(BaseCommand):
    help = (
        "Importe des organisations depuis un CSV (UTF-8, séparateur « , » ou « ; »). "
        f"Colonnes : {', '.join(COLUMNS)}. Chaque ligne est vérifiée d'abord ; une seule erreur et "
        "rien n'est importé, sauf avec --skip-invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Fichier CSV à importer.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Tout vérifier et résumer, sans rien enregistrer.",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Mettre à jour les organisations déjà présentes (sinon, laissées telles quelles).",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Importer les lignes valides et ignorer les autres.",
        )

    def handle(self, *args, file: Path, dry_run: bool, update: bool, skip_invalid: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Impossible de lire {file} : {error.strerror}.") from None
        with tqdm(
            unit=" lignes", desc="Vérification", disable=options["verbosity"] == 0, file=self.stderr
        ) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            try:
                result = organizations_import_csv(
                    data,
                    update=update,
                    dry_run=dry_run,
                    skip_invalid=skip_invalid,
                    progress=progress,
                    file_name=file.name,
                )
            except ImportFileError as error:
                raise CommandError(error.message) from None
        for error in result.errors:
            self.stderr.write(f"  {error}")
        if result.errors and not skip_invalid:
            self.stderr.write(result.summary)
            raise CommandError(
                f"{result.invalid_rows} ligne(s) invalide(s) : rien n'a été importé. "
                "Corrigez-les, ou relancez avec --skip-invalid pour importer les autres."
            )
        self.stdout.write(self.style.SUCCESS(result.summary))
