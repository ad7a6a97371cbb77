"""Recovery of tasks interrupted by a dead worker.

django-tasks-db marks a task RUNNING when a worker claims it and only changes that when the task
returns or raises. A worker killed in the middle (SIGKILL, out of memory, power cut) leaves the
row RUNNING for ever: no worker picks it up again. This module puts such rows back in the queue.

A RUNNING task is known to be orphaned when
- its last worker has the id of the worker that is starting (ids are unique in a pool, so the
  previous holder of that id is dead), or
- its last worker ran on this machine, in this process namespace, under a process id that no
  longer exists (the default worker ids made by `manage.py db_worker` name all three), or
- it has been running for longer than RELAIS_TASK_RUNNING_TIMEOUT_SECONDS: no Relais task takes
  more than a few seconds, so that one is lost, wherever its worker was.

Tasks are written to be run again safely (an e-mail already sent is not sent twice; timers check
the state first), so re-queueing an interrupted task does its effect once.
"""

import logging
import os
import secrets
import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

# The id of the `manage.py db_worker` running in this process, once it has started (None in the
# web and command processes).
_process_worker_id: str | None = None

# After the worker died this many times running one task, the task itself is the likely cause
# (it crashes the process): it is marked failed instead of killing the next worker too.
MAX_INTERRUPTIONS = 5


class WorkerLost(Exception):
    """The worker running this task died too many times; the task is given up."""


def _host() -> str:
    """This machine's name and process-id namespace: pids compare only within one namespace."""
    try:
        namespace = "".join(filter(str.isdigit, os.readlink("/proc/self/ns/pid")))
    except OSError:
        namespace = ""
    return f"{socket.gethostname().split('.')[0][:30]}-{namespace}"


def worker_id_default() -> str:
    """A worker id naming this host and process, so a later worker can tell it died."""
    return f"{_host()}.{os.getpid()}.{secrets.token_hex(4)}"


def _dead_on_this_host(worker_id: str) -> bool:
    """True if `worker_id` is a default id of this host whose process no longer runs."""
    parts = worker_id.split(".")
    if len(parts) != 3 or parts[0] != _host() or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    if pid == os.getpid():
        # This very process, which is alive: a task it is running now (the timers tick sweeps
        # from inside the worker) is not lost. Only another worker id that ran under this pid
        # before (a container restarted with the same pid) belongs to a dead worker.
        return _process_worker_id is not None and worker_id != _process_worker_id
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # a process of another user has that pid now: unknown, rely on the timeout
    return False


def worker_started(worker_id: str) -> int:
    """At a worker's start: remember its id for this process, then take back what dead workers
    left (see tasks_requeue_interrupted); returns how many tasks were queued again."""
    global _process_worker_id
    _process_worker_id = worker_id
    return tasks_requeue_interrupted(current_worker_id=worker_id)


def tasks_requeue_interrupted(
    *, current_worker_id: str | None = None, now: datetime | None = None
) -> int:
    """Put back in the queue the tasks left RUNNING by a dead worker; returns how many."""
    now = now or timezone.now()
    timeout = now - timedelta(seconds=settings.RELAIS_TASK_RUNNING_TIMEOUT_SECONDS)
    requeued = 0
    running = DBTaskResult.objects.filter(status="RUNNING").only(
        "id", "task_path", "worker_ids", "started_at"
    )
    for task in running:
        last_worker = task.worker_ids[-1] if task.worker_ids else ""
        orphaned = (
            (task.started_at is not None and task.started_at < timeout)
            or (current_worker_id is not None and last_worker == current_worker_id)
            or _dead_on_this_host(last_worker)
        )
        if not orphaned:
            continue
        # Compare-and-set on started_at: if another worker re-claimed the row meanwhile, or
        # another recovery got there first, this update matches nothing.
        still_lost = DBTaskResult.objects.filter(
            pk=task.pk, status="RUNNING", started_at=task.started_at
        )
        if len(task.worker_ids) >= MAX_INTERRUPTIONS:
            still_lost.update(
                status="FAILED",
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=f"WorkerLost: {len(task.worker_ids)} workers died running this task\n",
            )
            logger.error(
                "Task %s (%s) given up: %s workers died running it",
                task.pk,
                task.task_path,
                len(task.worker_ids),
            )
            continue
        if still_lost.update(status="READY", started_at=None):
            requeued += 1
            logger.warning(
                "Task %s (%s) was interrupted (worker %s gone); queued again",
                task.pk,
                task.task_path,
                last_worker,
            )
    return requeued
