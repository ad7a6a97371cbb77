"""Background tasks (django-tasks, database backend): e-mail delivery, the contact timers and the
member space's verification reminders.

Every task of the app is declared here, because the task table stores each queued task by this
module's dotted path (a deadline may wait a week): moving a task would orphan the queued ones.
Tasks import the services they run; a service that queues a task reaches this module at call
time only, so no service imports it at module level (pyproject.toml's contract lists those).
Task arguments are ids only, so no personal data sits in the task table or the worker's log.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from network.contact.timers import contact_request_check_deadline, contact_timers_run
from network.infrastructure.worker import tasks_requeue_interrupted
from network.members.freshness import organizations_send_verification_reminders
from network.outbox.delivery import email_deliver

TIMERS_TICK_PATH = "network.tasks.contact_timers_tick"


@task(takes_context=True)
def deliver_email(context, email_id: int) -> str:
    """Deliver one queued e-mail, re-enqueueing itself with backoff when the mail server fails.

    The task's id is the e-mail's lock owner: run again after its worker died, the same task
    takes the e-mail back at once instead of waiting for the dead worker's lock to expire.
    """
    return email_deliver(email_id, task_id=str(context.task_result.id))


@task()
def contact_request_deadline(request_id: int, assignment: int) -> str:
    """At the reminder or expiry time of one assignment: remind or expire if still unanswered."""
    return contact_request_check_deadline(request_id, assignment)


@task(takes_context=True)
def contact_timers_tick(context) -> dict:
    """The periodic task: one sweep of every timer, then the next tick is scheduled.

    The next tick is scheduled even when the sweep fails, so the chain never stops.
    """
    try:
        return contact_timers_run()
    finally:
        schedule_timers_tick(
            delay_seconds=settings.RELAIS_CONTACT_TIMERS_INTERVAL_SECONDS,
            current_id=str(context.task_result.id),
        )


def schedule_timers_tick(delay_seconds: float = 0, current_id: str | None = None) -> bool:
    """Enqueue the next timers tick unless one is already waiting; True if one was enqueued."""
    # A tick left running by a dead worker is queued again first, so it counts as waiting.
    tasks_requeue_interrupted()
    alive = DBTaskResult.objects.filter(task_path=TIMERS_TICK_PATH, status__in=["READY", "RUNNING"])
    if current_id is not None:
        alive = alive.exclude(id=current_id)
    if alive.exists():
        return False
    contact_timers_tick.using(run_after=timezone.now() + timedelta(seconds=delay_seconds)).enqueue()
    return True


@task(takes_context=True)
def verification_reminders_tick(context) -> int:
    """The daily task: send the due verification reminders, then schedule the next run.

    The next run is scheduled even when this one fails, so the chain never stops.
    """
    try:
        return organizations_send_verification_reminders()
    finally:
        schedule_verification_reminders(
            delay_seconds=settings.RELAIS_VERIFICATION_REMINDER_INTERVAL_SECONDS,
            current_id=str(context.task_result.id),
        )


def schedule_verification_reminders(
    delay_seconds: float = 0, current_id: str | None = None
) -> bool:
    """Enqueue the next reminders run unless one is already waiting; True if one was enqueued."""
    # A tick left running by a dead worker is queued again first, so it counts as waiting.
    tasks_requeue_interrupted()
    alive = DBTaskResult.objects.filter(
        task_path=verification_reminders_tick.module_path, status__in=["READY", "RUNNING"]
    )
    if current_id is not None:
        alive = alive.exclude(id=current_id)
    if alive.exists():
        return False
    verification_reminders_tick.using(
        run_after=timezone.now() + timedelta(seconds=delay_seconds)
    ).enqueue()
    return True
