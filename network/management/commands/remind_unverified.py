from django.conf import settings
from django.core.management.base import BaseCommand

from network.members.freshness import organizations_send_verification_reminders
from network.tasks import schedule_verification_reminders


class Command(BaseCommand):
    help = (
        "E-mail the members of listings not confirmed for RELAIS_VERIFICATION_REMINDER_DAYS days. "
        "Running it twice sends nothing more. --schedule starts the worker's daily periodic task "
        "instead (once is enough: each run schedules the next)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Start the periodic task in the task worker (does nothing if it is already scheduled).",
        )

    def handle(self, *args, **options):
        if options["schedule"]:
            if schedule_verification_reminders():
                self.stdout.write("Rappels de vérification : tâche périodique programmée.")
            else:
                self.stdout.write("Rappels de vérification : tâche périodique déjà programmée.")
            return
        count = organizations_send_verification_reminders()
        self.stdout.write(
            self.style.SUCCESS(
                f"Rappels envoyés pour {count} fiche(s) non confirmée(s) depuis "
                f"{settings.RELAIS_VERIFICATION_REMINDER_DAYS} jours."
            )
        )
