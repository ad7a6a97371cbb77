import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from network.contact.timers import contact_timers_run
from network.tasks import schedule_timers_tick


class Command(BaseCommand):
    help = (
        "Run the contact timers once: reminders, expiries, closing of accepted requests, "
        "personal-data purge and re-queueing of e-mails whose task was lost. --every N repeats "
        "every N seconds; --schedule hands the job to the task worker as a periodic task."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=float, default=0, help="Repeat every N seconds (0: run once)."
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Start the periodic task instead: the task worker then runs the timers every "
            "RELAIS_CONTACT_TIMERS_INTERVAL_SECONDS. Idempotent.",
        )

    def handle(self, *args, every=0.0, schedule=False, **options):
        if every < 0:
            raise CommandError("--every doit être positif.")
        if schedule:
            started = schedule_timers_tick()
            self.stdout.write(
                "Tâche périodique des minuteries programmée."
                if started
                else "La tâche périodique des minuteries est déjà programmée."
            )
            return
        if every:
            self.stdout.write(f"Minuteries des demandes : un passage toutes les {every:g} s.")
        while True:
            close_old_connections()
            counts = contact_timers_run()
            if any(counts.values()) or not every:
                summary = ", ".join(f"{name} : {value}" for name, value in counts.items())
                self.stdout.write(f"Minuteries des demandes — {summary}")
            if not every:
                return
            time.sleep(every)
