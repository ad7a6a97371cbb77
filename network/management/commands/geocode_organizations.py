import sys
from collections import Counter

from django.core.management.base import BaseCommand
from tqdm import tqdm

from maps.geocoding import PointSource, geocoder_is_configured
from network.models import Organization
from network.services import organization_locate


class Command(BaseCommand):
    help = (
        "Recompute organisations' points from their addresses: the configured geocoder, "
        "else the postal code or commune of the gazetteer."
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
                "Aucun géocodeur configuré (RELAIS_GEOCODER) : les points viennent des codes postaux."
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
            sources[organization_locate(organization)] += 1
        self.stdout.write(
            self.style.SUCCESS(
                f"{total} organisation(s) traitée(s) : "
                f"{sources[PointSource.GEOCODER]} par le géocodeur, "
                f"{sources[PointSource.POSTAL_CODE]} au code postal, "
                f"{sources[PointSource.MUNICIPALITY]} au centre de la commune, "
                f"{sources[None]} sans adresse ni code postal (laissées telles quelles)."
            )
        )
