import sys
from collections import Counter

from django.core.management.base import BaseCommand
from tqdm import tqdm

from maps.geocoding import PointSource, geocoder_is_configured
from network.listings.models import Organization
from network.listings.services import organization_locate


class Command(BaseCommand):
    help = (
        "Recompute organisations' points from their addresses with the configured geocoder. "
        "A point is only replaced by a geocoder's answer; missing points fall back on the "
        "postal code or the commune of the gazetteer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing-only",
            action="store_true",
            help="Only the organisations that have no point yet.",
        )

    def handle(self, *args, missing_only=False, **options):
        organizations = Organization.objects.select_related("municipality").order_by("pk")
        if missing_only:
            organizations = organizations.filter(latitude__isnull=True) | organizations.filter(
                longitude__isnull=True
            )
        if not geocoder_is_configured():
            self.stdout.write(
                "Aucun géocodeur configuré (RELAIS_GEOCODER) : seuls les points manquants sont "
                "complétés, au code postal ou au centre de la commune."
            )
        sources: Counter[str | None] = Counter()
        total = organizations.count()
        progress = tqdm(
            organizations.iterator(chunk_size=500),
            total=total,
            desc="Géocodage",
            unit="org",
            file=sys.stderr,
            disable=options["verbosity"] == 0,
        )
        for organization in progress:
            sources[organization_locate(organization, keep_unless_geocoded=True)] += 1
        self.stdout.write(
            self.style.SUCCESS(
                f"{total} organisation(s) traitée(s) : "
                f"{sources[PointSource.GEOCODER]} par le géocodeur, "
                f"{sources[PointSource.POSTAL_CODE]} au code postal, "
                f"{sources[PointSource.MUNICIPALITY]} au centre de la commune, "
                f"{sources[None]} inchangée(s) (sans adresse, ou point existant gardé faute de "
                "réponse du géocodeur)."
            )
        )
