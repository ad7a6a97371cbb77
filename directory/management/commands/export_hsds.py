"""manage.py export_hsds OUTPUT.json: the published directory as Open Referral HSDS 3.0."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from directory import hsds
from directory.api.hsds import hsds_organizations


class Command(BaseCommand):
    help = (
        "Écrit les organisations publiées au format Open Referral HSDS 3.0 : une liste JSON "
        "d'organisations complètes (lieu, et un service par activité avec sa zone desservie)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "output", type=Path, help="Fichier JSON à écrire (« - » pour la sortie standard)."
        )
        parser.add_argument(
            "--base-url",
            default=settings.RELAIS_SITE_URL,
            help="Adresse publique du site, pour les liens (RELAIS_SITE_URL).",
        )

    def handle(self, *args, output: Path, base_url: str, **options):
        base_url = base_url.rstrip("/")
        organizations = [
            hsds.organization_full(organization, base_url)
            for organization in hsds_organizations().iterator(chunk_size=2000)
        ]
        text = json.dumps(organizations, ensure_ascii=False, indent=2)
        if str(output) == "-":
            self.stdout.write(text)
            return
        try:
            output.write_text(text + "\n", encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Impossible d'écrire {output} : {error.strerror}.") from None
        services = sum(len(organization.get("services", [])) for organization in organizations)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(organizations)} organisations et {services} services exportés dans {output}."
            )
        )
