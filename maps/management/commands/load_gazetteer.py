from django.core.management.base import BaseCommand

from maps.gazetteer import load_gazetteer


class Command(BaseCommand):
    help = "Load or refresh the 261 Walloon municipalities and their postal codes (offline)."

    def handle(self, *args, **options):
        summary = load_gazetteer()
        self.stdout.write(
            self.style.SUCCESS(
                f"Communes : {summary.municipalities_created} créées, "
                f"{summary.municipalities_updated} mises à jour. "
                f"Codes postaux : {summary.postal_codes_created} créés, "
                f"{summary.postal_codes_updated} mis à jour."
            )
        )
