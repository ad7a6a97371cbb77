"""A worker killed in the middle of a task: after a restart the task is done, and done once."""

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bench.server import free_port
from network.contact.timers import contact_timers_run
from network.infrastructure import worker as worker_services
from network.infrastructure.worker import (
    MAX_INTERRUPTIONS,
    tasks_requeue_interrupted,
    worker_id_default,
)
from network.outbox.models import OutboundEmail
from network.tasks import deliver_email
from tests.factories import OrganizationFactory, real_commune, submit_request

ROOT = Path(__file__).resolve().parents[3]
DELIVER = "network.tasks.deliver_email"
# Generous: the worker is a fresh Django process on a shared CI machine. Never a timed assertion.
DEADLINE_SECONDS = 90


class HoldingSMTPHandler:
    """Accepts messages, but holds the first one's DATA unanswered until `release` is set.

    While it holds, the client (the worker) waits for the server's answer: the delivery is
    observably in progress and the message is not delivered (SMTP delivers on the 250 reply).
    """

    def __init__(self):
        self.holding = threading.Event()
        self.release = threading.Event()
        self.delivered: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):
        if not self.holding.is_set():
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Interrupted, not delivered"
        subject = message_from_bytes(envelope.content)["Subject"]
        self.delivered.append((sorted(envelope.rcpt_tos), str(make_header(decode_header(subject)))))
        return "250 OK"


@pytest.fixture
def holding_smtp():
    handler = HoldingSMTPHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    handler.release.set()
    controller.stop()


class SharedDatabase:
    """The test database, as seen by worker subprocesses.

    PostgreSQL: the test database itself (the test's writes are committed, transactional_db).
    SQLite: the test database is in memory, so it is copied to a file for the subprocesses and
    copied back to be read (sqlite3's online backup API, both ways).
    """

    def __init__(self, tmp_path: Path):
        connection.ensure_connection()
        settings = connection.settings_dict
        if connection.vendor == "sqlite":
            self.file = tmp_path / "worker.sqlite3"
            self.url = f"sqlite:///{self.file}"
        else:
            self.file = None
            password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
            host = settings["HOST"] or "127.0.0.1"
            port = settings["PORT"] or 5432
            self.url = f"postgres://{settings['USER']}{password}@{host}:{port}/{settings['NAME']}"

    def publish(self) -> None:
        """Make what the test wrote visible to the subprocesses."""
        if self.file is not None:
            target = sqlite3.connect(self.file)
            connection.connection.backup(target)
            target.close()

    def refresh(self) -> None:
        """Make what the subprocesses wrote visible to the test."""
        if self.file is not None:
            source = sqlite3.connect(self.file)
            source.backup(connection.connection)
            source.close()


def start_worker(database: SharedDatabase, smtp_port: int, log: Path, *extra: str):
    environment = {
        **os.environ,
        "DATABASE_URL": database.url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "0",
        # Longer than the test holds the message: the worker must be killed, not time out.
        "EMAIL_TIMEOUT": str(DEADLINE_SECONDS * 2),
    }
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
    command += ["--interval", "0.1", *extra]
    output = log.open("w")
    return subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=output)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_task_of_a_killed_worker_is_done_exactly_once_after_a_restart(holding_smtp, tmp_path):
    handler, port = holding_smtp
    OrganizationFactory(slug="drivers", needs=["drivers"], municipality=real_commune("Gembloux"))
    submit_request()  # queues two e-mails: the receipt and the collective's notice
    assert OutboundEmail.objects.count() == 2
    database = SharedDatabase(tmp_path)
    database.publish()

    first = start_worker(database, port, tmp_path / "first.log")
    try:
        held = handler.holding.wait(timeout=DEADLINE_SECONDS)
        assert held, (tmp_path / "first.log").read_text()
        os.kill(first.pid, signal.SIGKILL)  # in the middle of talking to the mail server
    finally:
        first.kill()
        first.wait(timeout=DEADLINE_SECONDS)
    handler.release.set()

    # What the dead worker left: its task still RUNNING for ever, its e-mail locked and unsent.
    database.refresh()
    interrupted = DBTaskResult.objects.get(task_path=DELIVER, status="RUNNING")
    assert handler.delivered == []
    assert OutboundEmail.objects.filter(status="sent").count() == 0
    assert OutboundEmail.objects.filter(locked_until__gt=timezone.now()).count() == 1

    second = start_worker(database, port, tmp_path / "second.log", "--batch")
    try:
        second.wait(timeout=DEADLINE_SECONDS)
    finally:
        second.kill()
    log = (tmp_path / "second.log").read_text()
    assert second.returncode == 0, log
    assert "1 tâche(s) interrompue(s) remise(s) en file" in log

    database.refresh()
    emails = list(OutboundEmail.objects.all())
    assert sorted(recipients for recipients, _ in handler.delivered) == sorted(
        email.recipients for email in emails
    )
    assert len(handler.delivered) == 2  # each message once, the interrupted one included
    assert all(email.status == "sent" and email.attempts == 1 for email in emails)
    results = DBTaskResult.objects.filter(task_path=DELIVER)
    assert {(result.status, result.return_value) for result in results} == {("SUCCESSFUL", "sent")}
    interrupted.refresh_from_db()
    assert interrupted.status == "SUCCESSFUL" and len(interrupted.worker_ids) == 2


# The recovery rules, in process -------------------------------------------------------------


def claim(result: DBTaskResult, worker_id: str, minutes_ago: float = 0) -> None:
    """Mark a task as taken by `worker_id` (as db_worker does), `minutes_ago`."""
    result.claim(worker_id)
    DBTaskResult.objects.filter(pk=result.pk).update(
        started_at=timezone.now() - timedelta(minutes=minutes_ago)
    )


def queued_delivery() -> DBTaskResult:
    """One e-mail waiting for its delivery task: no collective matches, only the receipt goes."""
    submit_request()
    assert OutboundEmail.objects.count() == 1
    return DBTaskResult.objects.get(task_path=DELIVER)


@pytest.mark.django_db
def test_task_running_past_the_timeout_is_queued_again_by_the_timers(smtp, run_tasks, settings):
    settings.RELAIS_TASK_RUNNING_TIMEOUT_SECONDS = 600
    lost = queued_delivery()
    claim(lost, "other-machine-worker", minutes_ago=11)
    assert contact_timers_run()["recovered"] == 1
    lost.refresh_from_db()
    assert lost.status == "READY"
    run_tasks()
    lost.refresh_from_db()
    assert lost.status == "SUCCESSFUL"
    assert len(smtp.collector.messages) == 1


@pytest.mark.django_db
def test_task_of_a_live_worker_elsewhere_is_left_alone(smtp, settings):
    settings.RELAIS_TASK_RUNNING_TIMEOUT_SECONDS = 600
    busy = queued_delivery()
    claim(busy, "other-machine-worker", minutes_ago=9)
    assert tasks_requeue_interrupted(current_worker_id="relais-1") == 0
    busy.refresh_from_db()
    assert busy.status == "RUNNING"


@pytest.mark.django_db
def test_worker_restarted_with_the_same_id_takes_back_its_tasks_at_once(smtp):
    lost = queued_delivery()
    claim(lost, "relais-1")
    assert tasks_requeue_interrupted(current_worker_id="relais-2") == 0
    assert tasks_requeue_interrupted(current_worker_id="relais-1") == 1
    lost.refresh_from_db()
    assert lost.status == "READY" and lost.started_at is None


@pytest.mark.django_db
def test_default_worker_ids_tell_a_dead_process_on_this_machine_from_a_live_one(smtp):
    lost = queued_delivery()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = worker_id_default().split(".")[0]
    claim(lost, f"{host}.{os.getppid()}.abcd1234")  # the process that runs pytest: alive
    assert tasks_requeue_interrupted(current_worker_id=worker_id_default()) == 0
    DBTaskResult.objects.filter(pk=lost.pk).update(worker_ids=[f"{host}.{dead.pid}.abcd1234"])
    assert tasks_requeue_interrupted(current_worker_id=worker_id_default()) == 1


@pytest.mark.django_db
def test_the_timers_sweeping_from_inside_a_worker_leave_its_own_running_task_alone(
    smtp, monkeypatch
):
    me = worker_id_default()
    monkeypatch.setattr(worker_services, "_process_worker_id", me)
    running = queued_delivery()
    claim(running, me)  # this process's worker is running it right now
    assert tasks_requeue_interrupted() == 0  # as the timers tick and the schedulers call it
    running.refresh_from_db()
    assert running.status == "RUNNING"
    # A worker id that ran under this same pid before (a container restarted) is a dead one.
    host, pid, _suffix = me.split(".")
    DBTaskResult.objects.filter(pk=running.pk).update(worker_ids=[f"{host}.{pid}.0ld1d000"])
    assert tasks_requeue_interrupted() == 1


@pytest.mark.django_db
def test_task_that_keeps_killing_its_workers_is_given_up(smtp):
    lost = queued_delivery()
    for _ in range(MAX_INTERRUPTIONS):
        claim(lost, "relais-1")
        lost.refresh_from_db()
    assert tasks_requeue_interrupted(current_worker_id="relais-1") == 0
    lost.refresh_from_db()
    assert lost.status == "FAILED"
    assert lost.exception_class_path == "network.infrastructure.worker.WorkerLost"


@pytest.mark.django_db
def test_delivery_run_again_after_the_send_was_recorded_sends_nothing_more(smtp, run_tasks):
    # The worker died after the e-mail was marked sent but before the task was marked done.
    lost = queued_delivery()
    run_tasks()
    assert len(smtp.collector.messages) == 1
    DBTaskResult.objects.filter(pk=lost.pk).update(status="RUNNING", worker_ids=["relais-1"])
    assert tasks_requeue_interrupted(current_worker_id="relais-1") == 1
    run_tasks()
    lost.refresh_from_db()
    assert (lost.status, lost.return_value) == ("SUCCESSFUL", "skipped")
    assert len(smtp.collector.messages) == 1


@pytest.mark.django_db
def test_another_delivery_task_leaves_an_e_mail_locked_by_a_live_task_alone(smtp, run_tasks):
    queued_delivery()
    email = OutboundEmail.objects.get()
    OutboundEmail.objects.filter(pk=email.pk).update(
        locked_until=timezone.now() + timedelta(minutes=5), locked_by="some-other-task"
    )
    DBTaskResult.objects.all().delete()
    result = deliver_email.enqueue(email.pk)
    run_tasks()
    assert DBTaskResult.objects.get(pk=result.id).return_value == "skipped"
    assert smtp.collector.messages == []
