from django.core.management.base import BaseCommand, CommandError

from maps.models import Municipality
from network.demo import DEMO_STAFF_EMAIL, DEMO_STAFF_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Load the fictitious demo organisations (marked « exemple ») and a demo staff account."

    def handle(self, *args, **options):
        if not Municipality.objects.exists():
            raise CommandError(
                "Le répertoire des communes est vide : lancez d'abord « manage.py load_gazetteer »."
            )
        summary = seed_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Organisations d'exemple : {summary.created} créées, {summary.existing} déjà présentes."
            )
        )
        if summary.requests_created:
            self.stdout.write(f"Demandes de contact d'exemple : {summary.requests_created} créées.")
        if summary.staff_created:
            self.stdout.write(
                f"Compte de démonstration (équipe) : {DEMO_STAFF_EMAIL} / {DEMO_STAFF_PASSWORD}"
            )
