"""Two writers saving one listing at the same moment, each on its own database connection.

The member-space and admin tests show a stale save being refused one request after another;
here the saves really overlap, so only the row lock taken by the services keeps them apart.
"""

import threading
from itertools import pairwise

import pytest
from django.db import connection, connections

from network.listings.models import OrganizationChange
from network.listings.services import StaleListingError, organization_update, organization_version
from tests.factories import OrganizationFactory

ROUNDS = 10


def needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        # The in-memory SQLite test database is one connection shared by every thread; SQLite's
        # IMMEDIATE transactions let one writer in at a time anyway (config/settings.py).
        pytest.skip("needs PostgreSQL: two real connections writing at once")


def save_in_thread(results: dict, who: str, barrier: threading.Barrier, pk: int, **kwargs):
    from network.listings.models import Organization

    try:
        organization = Organization.objects.get(pk=pk)
        barrier.wait()
        organization_update(organization, **kwargs)
        results[who] = "saved"
    except StaleListingError:
        results[who] = "refused"
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_of_two_simultaneous_saves_from_one_version_exactly_one_wins():
    needs_postgresql()
    organization = OrganizationFactory(temporary_message="")
    for round_number in range(ROUNDS):
        organization.refresh_from_db()
        read = organization_version(organization)
        results: dict[str, str] = {}
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(
                target=save_in_thread,
                args=(results, who, barrier, organization.pk),
                kwargs={
                    "expected_version": read,
                    "temporary_message": f"{who} {round_number}",
                },
            )
            for who in ("membre", "equipe")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert sorted(results.values()) == ["refused", "saved"], results
        winner = next(who for who, result in results.items() if result == "saved")
        organization.refresh_from_db()
        assert organization.temporary_message == f"{winner} {round_number}"
    changes = list(OrganizationChange.objects.filter(organization=organization).order_by("pk"))
    assert len(changes) == ROUNDS
    # Each recorded "old" value is what the previous round really left in the database.
    for previous, change in pairwise(changes):
        assert change.changes["temporary_message"][0] == previous.changes["temporary_message"][1]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_saves_of_different_fields_without_a_version_both_stay():
    needs_postgresql()
    organization = OrganizationFactory(temporary_message="", schedule="")
    results: dict[str, str] = {}
    barrier = threading.Barrier(2)
    threads = [
        threading.Thread(
            target=save_in_thread,
            args=(results, "membre", barrier, organization.pk),
            kwargs={"temporary_message": "Complet"},
        ),
        threading.Thread(
            target=save_in_thread,
            args=(results, "equipe", barrier, organization.pk),
            kwargs={"schedule": "Lundi 18 h"},
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == {"membre": "saved", "equipe": "saved"}
    organization.refresh_from_db()
    assert (organization.temporary_message, organization.schedule) == ("Complet", "Lundi 18 h")
