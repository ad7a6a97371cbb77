"""`manage.py db_worker`: django-tasks-db's worker, which first takes back what a dead worker left.

django-tasks-db leaves a task RUNNING for ever when its worker is killed mid-task. Before taking
new work, this worker queues such tasks again (see network.infrastructure.worker), and its default id
names the host and the process so that the next worker on this machine can tell it died.
"""

from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from network.infrastructure.worker import worker_id_default, worker_started


class Command(DBWorkerCommand):
    help = DBWorkerCommand.help + " (queues again the tasks of a worker that died first)"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=worker_id_default())

    def handle(self, *args, worker_id: str, verbosity: int = 1, **options) -> None:
        recovered = worker_started(worker_id)
        if recovered and verbosity:
            self.stdout.write(f"{recovered} tâche(s) interrompue(s) remise(s) en file.")
        super().handle(*args, worker_id=worker_id, verbosity=verbosity, **options)
