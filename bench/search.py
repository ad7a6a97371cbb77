"""Near-me search: the API and the list page against the floors and the naive scan.

Requests go over HTTP to a gunicorn worker on the bench database (bench/server.py), floors
included. Each search is measured twice: as most requests find it (its answer cached under the
directory version) and cold (the version moved just before, so the answer is computed again).
"""

import os

from django.db import connection
from geopy.distance import geodesic

from bench.harness import Report, median_ms
from bench.server import gunicorn, http_median_ms
from maps.places import resolve_place
from network.infrastructure.directory_version import directory_changed
from network.listings.models import Organization
from network.listings.selectors import organization_list_public, organizations_within

PLACE = "5000"
RADIUS_KM = 20
PAGE_SIZE = 20
API = "/api/v1/organizations/"
BENCH_APPLICATION = "bench.wsgi:application"  # the site plus the floor views
TARGET_SIZE = 100_000  # DESIGN.md sets the targets at 100k listings; smaller sizes show the trend.


def _raw_sql_ms(latitude: float, longitude: float) -> float:
    """The SQL the search needs (count and one page), run straight on the cursor."""
    queryset = organizations_within(organization_list_public(), latitude, longitude, RADIUS_KM)
    count_sql = queryset.values("pk").order_by().query.sql_with_params()
    page_sql = queryset[:PAGE_SIZE].query.sql_with_params()

    def run():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({count_sql[0]}) AS counted", count_sql[1])
            cursor.fetchone()
            cursor.execute(*page_sql)
            cursor.fetchall()

    return median_ms(run)


def _naive_ms(latitude: float, longitude: float) -> float:
    """What a first version would do: load every row and measure each one with geopy."""

    def run():
        rows = Organization.objects.filter(status=Organization.Status.PUBLISHED).values_list(
            "pk", "public_latitude", "public_longitude"
        )
        near = [
            (distance, pk)
            for pk, lat, lon in rows
            if (distance := geodesic((latitude, longitude), (lat, lon)).km) <= RADIUS_KM
        ]
        return sorted(near)[:PAGE_SIZE]

    return median_ms(run, repeat=3, warmup=0)


def run(report: Report, size: int) -> None:
    """Measure near-me search at this many listings."""
    place = resolve_place(PLACE)
    params = {"near": PLACE}
    at_target = size >= TARGET_SIZE
    # One sync worker: requests are sent one at a time, each measured alone.
    with gunicorn(os.environ["DATABASE_URL"], workers=1, application=BENCH_APPLICATION) as base:
        floor = http_median_ms(base, "/bench/floor/")
        api_floor = http_median_ms(base, "/bench/api-floor/")
        api = http_median_ms(base, API, params)
        # Moving the version (autocommit) makes the server compute its next answer again.
        api_cold = http_median_ms(base, API, params, repeat=11, before_each=directory_changed)
        page = http_median_ms(base, "/", params)
        page_cold = http_median_ms(base, "/", params, repeat=11, before_each=directory_changed)
    data_floor = _raw_sql_ms(place.latitude, place.longitude)
    naive = _naive_ms(place.latitude, place.longitude)

    def add(measure, value, target="", met=None):
        report.add("near-me", size, measure, value, target if at_target else "", met)

    add("framework floor: trivial Django JSON view", f"{floor:.2f} ms")
    add("trivial DRF view (the API's stack)", f"{api_floor:.2f} ms")
    add("data floor: raw SQL (count + page)", f"{data_floor:.2f} ms")
    add("API ?near=5000", f"{api:.2f} ms")
    add("API ?near=5000, cold (not cached)", f"{api_cold:.2f} ms")
    add("list page /?near=5000", f"{page:.2f} ms")
    add("list page, cold (not cached)", f"{page_cold:.2f} ms")
    add(
        "API / framework floor",
        f"{api / floor:.1f}x",
        "<= 3x",
        api / floor <= 3 if at_target else None,
    )
    add("API cold / data floor", f"{api_cold / data_floor:.1f}x")
    add("list page / framework floor", f"{page / floor:.1f}x")
    add("naive geopy scan of every row", f"{naive:.1f} ms")
    add(
        "naive scan / API cold",
        f"{naive / api_cold:.0f}x",
        ">= 50x",
        naive / api_cold >= 50 if at_target else None,
    )
