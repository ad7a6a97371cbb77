"""Fictitious organisations in bulk, spread over the real Walloon communes."""

import random

from django.db import connection, transaction

from maps.models import Municipality
from network.infrastructure.directory_version import directory_changed
from network.listings.models import Activity, Need, Organization

KINDS = list(Organization.Kind)


@transaction.atomic
def grow_to(size: int, seed: int = 7) -> None:
    """Add organisations until there are `size` published ones (idempotent per size)."""
    existing = Organization.objects.count()
    if existing >= size:
        return
    rng = random.Random(seed + existing)
    municipalities = list(Municipality.objects.all())
    activities = list(Activity.objects.all())
    needs = list(Need.objects.all())
    batch = []
    for number in range(existing, size):
        municipality = rng.choice(municipalities)
        organization = Organization(
            name=f"Collectif banc d'essai {number}",
            slug=f"banc-essai-{number}",
            kind=KINDS[number % 3],
            description="Organisation fictive générée pour les mesures de performance.",
            municipality=municipality,
            postal_code="",
            address_visibility=rng.choice(list(Organization.AddressVisibility)),
            latitude=municipality.latitude + rng.uniform(-0.03, 0.03),
            longitude=municipality.longitude + rng.uniform(-0.03, 0.03),
            status=Organization.Status.PUBLISHED,
            accepting_requests=rng.random() > 0.1,
            routing_email=f"bench-{number}@example.org",
        )
        organization.refresh_derived_fields()
        batch.append(organization)
    created = Organization.objects.bulk_create(batch, batch_size=2000)
    activity_links = Organization.activities.through
    need_links = Organization.needs.through
    activity_links.objects.bulk_create(
        [
            activity_links(organization_id=o.pk, activity_id=a.pk)
            for o in created
            for a in rng.sample(activities, 2)
        ],
        batch_size=5000,
    )
    need_links.objects.bulk_create(
        [
            need_links(organization_id=o.pk, need_id=n.pk)
            for o in created
            for n in rng.sample(needs, 1)
        ],
        batch_size=5000,
    )
    # bulk_create sends no signal: retire the search answers cached at the previous size.
    directory_changed()
    if connection.vendor == "postgresql":
        # A production database has planner statistics (autovacuum keeps them); rows bulk-loaded
        # a second ago have none, and PostgreSQL would plan for an empty table (the routing
        # query took 550 ms instead of 10 at 100k).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
