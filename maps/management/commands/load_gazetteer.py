from django.core.management.base import BaseCommand

from maps.gazetteer import load_gazetteer


class Command(BaseCommand):
    help = (
        "Load or refresh the Walloon communes, postal codes and localities, and the names of "
        "places outside Wallonia (offline, from the installed data packages). Skipped when the "
        "database already holds the gazetteer of the installed packages; --force rebuilds it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Rebuild even when the gazetteer is up to date with the installed packages.",
        )

    def handle(self, *args, **options):
        summary = load_gazetteer(force=options["force"])
        if summary.up_to_date:
            self.stdout.write(
                f"Gazetteer à jour ({summary.fingerprint}): {summary.municipalities} communes, "
                f"{summary.postal_codes} codes postaux, {summary.localities} localités."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.municipalities} communes ({summary.municipalities_created} créées, "
                f"{summary.municipalities_updated} mises à jour), "
                f"{summary.postal_codes} codes postaux ({summary.postal_codes_created} créés, "
                f"{summary.postal_codes_updated} mis à jour), "
                f"{summary.localities} localités ({summary.localities_created} créées, "
                f"{summary.localities_updated} mises à jour), "
                f"{summary.outside_places} noms de lieux hors de Wallonie."
            )
        )
