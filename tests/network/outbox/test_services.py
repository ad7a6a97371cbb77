"""E-mail through a real SMTP server (aiosmtpd): a server that is down delays, loses nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from network.contact.models import ContactRequest
from network.contact.transitions import Actor, contact_request_accept
from network.outbox.delivery import retry_delay
from network.outbox.models import OutboundEmail
from tests.factories import OrganizationFactory, real_commune, submit_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def drivers():
    return OrganizationFactory(
        slug="drivers", needs=["drivers"], municipality=real_commune("Gembloux")
    )


def make_retries_due():
    """Let time pass: the retries scheduled with run_after become due now."""
    DBTaskResult.objects.filter(status="READY").update(
        run_after=timezone.now() - timedelta(seconds=1)
    )


def test_emails_reach_a_real_smtp_server(smtp, drivers, run_tasks):
    submit_request()
    run_tasks()
    recipients = sorted(rcpt for rcpt, _ in smtp.collector.messages)
    assert recipients == sorted([["camille.citoyenne@example.net"], [drivers.routing_email]])
    assert OutboundEmail.objects.filter(status="sent").count() == 2


def test_smtp_down_delays_everything_and_loses_nothing(smtp, drivers, run_tasks):
    smtp.stop()
    requests = [submit_request(email=f"personne{n}@example.net") for n in range(3)]
    contact_request_accept(requests[0], actor=Actor(label="test"))
    run_tasks()
    # Nothing delivered, every request and e-mail kept, each e-mail with a retry scheduled later.
    assert smtp.collector.messages == []
    assert ContactRequest.objects.count() == 3
    pending = OutboundEmail.objects.filter(status="pending")
    assert pending.count() == 7  # 3 receipts, 3 to the collective, 1 "accepted"
    assert all(email.attempts == 1 and email.last_error for email in pending)
    assert all(email.next_attempt_at > timezone.now() for email in pending)
    scheduled = DBTaskResult.objects.filter(status="READY", task_path="network.tasks.deliver_email")
    assert scheduled.count() == 7 and all(row.run_after > timezone.now() for row in scheduled)
    # Still down at the second try: the delay doubles.
    make_retries_due()
    run_tasks()
    assert {email.attempts for email in OutboundEmail.objects.all()} == {2}
    assert retry_delay(2) == 2 * retry_delay(1)
    # The server comes back: the next retries deliver everything, exactly once.
    smtp.start()
    make_retries_due()
    run_tasks()
    assert len(smtp.collector.messages) == 7
    assert sorted(subject for _, subject in smtp.collector.messages) == sorted(
        OutboundEmail.objects.values_list("subject", flat=True)
    )
    # Each e-mail reached its own recipients, once: none lost, none doubled.
    assert sorted(rcpt for rcpt, _ in smtp.collector.messages) == sorted(
        OutboundEmail.objects.values_list("recipients", flat=True)
    )
    assert OutboundEmail.objects.filter(status="sent").count() == 7
    make_retries_due()
    run_tasks()
    assert len(smtp.collector.messages) == 7


def test_lost_delivery_task_is_requeued_by_the_timers(smtp, drivers, run_tasks):
    from network.contact.timers import contact_timers_run

    submit_request()
    # The worker died: the task rows are gone, the outbox rows remain.
    DBTaskResult.objects.filter(task_path="network.tasks.deliver_email").delete()
    OutboundEmail.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=30))
    assert contact_timers_run()["requeued"] == 2
    run_tasks()
    assert len(smtp.collector.messages) == 2


def test_failure_log_has_no_address(smtp, drivers, run_tasks, caplog):
    smtp.stop()
    submit_request()
    run_tasks()
    assert "not delivered" in caplog.text
    assert "camille.citoyenne@example.net" not in caplog.text
    assert drivers.routing_email not in caplog.text
