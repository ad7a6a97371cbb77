from django.conf import settings
from django.core.management.base import BaseCommand

from network.contact.personal_data import purge_personal_data


class Command(BaseCommand):
    help = (
        "Blank the personal data of contact requests closed longer ago than the retention period."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count only, change nothing.")

    def handle(self, *args, dry_run=False, **options):
        count = purge_personal_data(dry_run=dry_run)
        days = f"{settings.RELAIS_CONTACT_RETENTION_DAYS:g}"
        if dry_run:
            self.stdout.write(
                f"{count} demande(s) clôturée(s) depuis plus de {days} jours "
                "seraient anonymisée(s)."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{count} demande(s) anonymisée(s) (clôturées depuis plus de {days} jours)."
                )
            )
