"""The staff dashboard: figures for a known dataset, the page, CSV downloads, the period form,
permissions and a constant number of queries."""

import csv
import html
import io
import re
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from network.staff.stats import (
    Period,
    activity_coverage,
    answer_times,
    counts_by_province,
    default_period,
    listings_to_check,
    requests_per_week,
)
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    StaffFactory,
    real_commune,
    request_with_history,
)

pytestmark = pytest.mark.django_db

URL = "/equipe/tableau-de-bord/"
MARCH = {"du": "2026-03-02", "au": "2026-03-22"}
PERIOD = Period(date(2026, 3, 2), date(2026, 3, 22))


def local(*args) -> datetime:
    """A moment in Brussels time."""
    return timezone.make_aware(datetime(*args))


def text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


@pytest.fixture
def world():
    """Three weeks of March 2026 with answers fast, slow and missing; listings fresh and stale."""
    namur, liege = real_commune("Namur"), real_commune("Liège")
    orgs = {
        "a": OrganizationFactory(
            name="Abri Namur",
            municipality=namur,
            activities=["shelter", "transport"],
            verified_at=timezone.now(),
        ),
        "b": OrganizationFactory(
            name="Bus Liège", municipality=liege, activities=["transport"], verified_at=None
        ),
        "c": OrganizationFactory(
            name="Proposée Liège",
            municipality=liege,
            activities=["shelter"],
            status="pending",
            verified_at=None,
        ),
        "d": OrganizationFactory(
            name="Dons Mons",
            municipality=real_commune("Mons"),
            verified_at=timezone.now() - timedelta(days=200),
        ),
        "e": OrganizationFactory(
            name="Entraide Arlon",
            municipality=real_commune("Arlon"),
            verified_at=timezone.now() - timedelta(days=10),
        ),
    }
    a, b = orgs["a"], orgs["b"]
    # Week of 2 March: answered in 4 h (accepted) and in 48 h (declined).
    request_with_history(
        local(2026, 3, 2, 10, 0),
        [("routed", local(2026, 3, 2, 10, 1), a), ("accepted", local(2026, 3, 2, 14, 1), a)],
        municipality=namur,
    )
    request_with_history(
        local(2026, 3, 3, 9, 0),
        [("routed", local(2026, 3, 3, 9, 1), a), ("declined", local(2026, 3, 5, 9, 1), a)],
        municipality=namur,
    )
    # Week of 9 March: no answer (expired), routed again, accepted after 96 h.
    request_with_history(
        local(2026, 3, 10, 12, 0),
        [
            ("routed", local(2026, 3, 10, 12, 1), a),
            ("expired", local(2026, 3, 17, 12, 1), a),
            ("routed", local(2026, 3, 18, 8, 0), b),
            ("accepted", local(2026, 3, 22, 8, 0), b),
        ],
        municipality=liege,
    )
    # Week of 16 March: one still new without a commune, one routed late on the last Sunday.
    request_with_history(local(2026, 3, 16, 8, 0))
    request_with_history(
        local(2026, 3, 22, 23, 30), [("routed", local(2026, 3, 22, 23, 31), a)], municipality=namur
    )
    # Just outside the period on both sides (Brussels midnight, not UTC's).
    request_with_history(local(2026, 3, 1, 23, 59), municipality=namur)
    request_with_history(local(2026, 3, 23, 0, 30), municipality=namur)
    return orgs


def test_requests_per_week_counts_current_statuses_in_local_weeks(world):
    weeks = requests_per_week(PERIOD)
    assert [row.week for row in weeks] == [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)]
    assert [{status: count for status, count in row.counts.items() if count} for row in weeks] == [
        {"accepted": 1, "declined": 1},
        {"accepted": 1},
        {"new": 1, "routed": 1},
    ]
    assert [row.total for row in weeks] == [2, 1, 2]


def test_weeks_without_requests_are_shown_as_zero():
    weeks = requests_per_week(PERIOD)
    assert len(weeks) == 3 and all(row.total == 0 for row in weeks)


def test_answer_times_median_and_share_within_the_reminder_delay(world):
    answers = answer_times(PERIOD)
    # Routings: 4 h, 48 h, expired, 96 h after a second routing, and one still waiting.
    assert answers.routed == 5
    assert answers.answered == 3
    assert answers.median == timedelta(hours=48)
    assert answers.judged == 5
    assert answers.answered_within == 2
    assert answers.share_within == pytest.approx(0.4)


def test_a_recent_routing_without_answer_is_not_judged_yet(world, settings):
    waiting = Period(date(2026, 3, 22), date(2026, 3, 22))
    just_after = local(2026, 3, 23, 10, 0)
    answers = answer_times(waiting, now=just_after)
    assert (answers.routed, answers.judged, answers.share_within) == (1, 0, None)
    assert answers.median is None
    settings.RELAIS_CONTACT_REMINDER_DAYS = 0.25
    assert answer_times(waiting, now=just_after).judged == 1


def test_counts_by_province_and_requests_without_commune(world):
    rows = {row.label: (row.organizations, row.requests) for row in counts_by_province(PERIOD)}
    assert rows == {
        "Brabant wallon": (0, 0),
        "Hainaut": (1, 0),
        "Liège": (1, 1),
        "Luxembourg": (1, 0),
        "Namur": (1, 3),
        "Commune non indiquée": (0, 1),
    }


def test_activity_matrix_counts_published_organisations_with_zeros(world):
    matrix = activity_coverage()
    slugs = [slug for slug, _label in matrix.activities]
    rows = {province: dict(zip(slugs, counts, strict=True)) for province, _l, counts in matrix.rows}
    assert set(rows) == {"brabant-wallon", "hainaut", "liege", "luxembourg", "namur"}
    assert rows["namur"]["shelter"] == 1 and rows["namur"]["transport"] == 1
    # The pending organisation in Liège offers shelter but is not published.
    assert rows["liege"] == {**dict.fromkeys(slugs, 0), "transport": 1}
    assert sum(sum(row.values()) for row in rows.values()) == 3


def test_listings_to_check_are_published_and_never_or_long_ago_confirmed(world, settings):
    assert [o.name for o in listings_to_check()] == ["Bus Liège", "Dons Mons"]
    settings.RELAIS_STALE_AFTER_DAYS = 5
    assert [o.name for o in listings_to_check()] == ["Bus Liège", "Dons Mons", "Entraide Arlon"]


def test_default_period_is_the_last_twelve_weeks():
    period = default_period(today=date(2026, 11, 19))
    assert period == Period(date(2026, 8, 31), date(2026, 11, 19))
    assert len(period.weeks) == 12


def test_page_shows_the_figures_of_the_chosen_period(staff_client, world):
    response = staff_client.get(URL, MARCH)
    assert response.status_code == 200
    page = text(response)
    assert "Du 2 mars 2026 au 22 mars 2026 inclus." in page
    assert "5 demandes reçues sur la période." in page
    assert "2 jours" in page and "40 %" in page
    assert "2 transmissions sur 5 ont reçu une réponse dans le délai (40 %)." in page
    assert "Commune non indiquée" in page
    assert page.count("Télécharger (CSV)") == 5
    assert "2 fiches publiées jamais confirmées ou non confirmées depuis plus de 180 jours." in page
    assert "Bus Liège" in page and "Dons Mons" in page and "Entraide Arlon" not in page
    content = response.content.decode()
    # Charts are inline SVG with a title and a description, drawn without any script: the page
    # carries only the site-wide one (menu, share), never one of its own.
    assert content.count('<svg class="chart"') == 3
    assert '<title id="chart-weeks-title">' in content and "<desc" in content
    assert re.findall(r"<script[^>]*>", content) == ['<script src="/static/relais/site.js" defer>']
    # Every zero of the activity matrix is a visible cell.
    assert content.count('class="cell-zero"') == 5 * 10 - 3
    edit = f"/espace/organisations/{world['b'].slug}/modifier/"
    assert f'href="{edit}"' in content


def test_page_links_each_csv_with_the_chosen_period(staff_client, world):
    content = staff_client.get(URL, MARCH).content.decode()
    assert "/equipe/tableau-de-bord/par-province.csv?du=2026-03-02&amp;au=2026-03-22" in content


def read_csv(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_csv_of_requests_per_week(staff_client, world):
    response = staff_client.get(URL + "demandes-par-semaine.csv", MARCH)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        "relais-demandes-par-semaine-2026-03-02-2026-03-22.csv" in (response["Content-Disposition"])
    )
    assert read_csv(response) == [
        [
            "Semaine du",
            "Nouvelle",
            "Transmise",
            "Acceptée",
            "Refusée",
            "Expirée",
            "Clôturée",
            "Total",
        ],
        ["2026-03-02", "0", "0", "1", "1", "0", "0", "2"],
        ["2026-03-09", "0", "0", "1", "0", "0", "0", "1"],
        ["2026-03-16", "1", "1", "0", "0", "0", "0", "2"],
    ]


def test_csv_of_answer_times_uses_decimal_commas(staff_client, world):
    rows = read_csv(staff_client.get(URL + "delai-de-reponse.csv", MARCH))
    assert rows[0][4] == "Délai médian de réponse (heures)"
    assert rows[1] == ["2026-03-02", "2026-03-22", "5", "3", "48", "5", "2", "40"]


def test_csv_of_provinces_activities_and_listings(staff_client, world):
    provinces = read_csv(staff_client.get(URL + "par-province.csv", MARCH))
    assert provinces[0] == ["Province", "Organisations publiées", "Demandes reçues"]
    assert ["Namur", "1", "3"] in provinces and ["Commune non indiquée", "0", "1"] in provinces
    activities = read_csv(staff_client.get(URL + "activites-par-province.csv", MARCH))
    assert activities[0][:3] == ["Province", "Hébergement", "Transport"]
    assert activities[3][0] == "Liège" and activities[3][1:3] == ["0", "1"]
    listings = read_csv(staff_client.get(URL + "fiches-a-verifier.csv", MARCH))
    assert [row[:4] for row in listings[1:]] == [
        ["Bus Liège", "Liège", "Liège", ""],
        ["Dons Mons", "Mons", "Hainaut", (timezone.now() - timedelta(days=200)).date().isoformat()],
    ]
    # Never the private routing address.
    assert "routage" not in staff_client.get(URL + "fiches-a-verifier.csv").content.decode()


def test_unknown_csv_figure_is_not_found(staff_client):
    assert staff_client.get(URL + "autre-chose.csv").status_code == 404


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"du": "pas une date"}, "Saisissez une date valide."),
        (
            {"du": "2026-03-22", "au": "2026-03-02"},
            "La date de début doit précéder la date de fin.",
        ),
        ({"au": "2999-01-01"}, "La date de fin ne peut pas être dans le futur."),
        ({"du": "2020-01-01", "au": "2026-01-01"}, "La période ne peut pas dépasser deux ans"),
        ({"du": "2026-02-30"}, "Saisissez une date valide."),
    ],
)
def test_bad_period_gives_a_french_message_and_the_default_period(staff_client, params, message):
    response = staff_client.get(URL, params)
    assert response.status_code == 200
    page = text(response)
    assert message in page
    assert "le tableau montre les 12 dernières semaines" in page
    csv_response = staff_client.get(URL + "par-province.csv", params)
    assert csv_response.status_code == 400
    assert message in csv_response.content.decode()


def test_dashboard_is_for_staff_only(client):
    for path in (URL, URL + "par-province.csv"):
        anonymous = client.get(path)
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith("/espace/connexion/?next=")
    client.force_login(MembershipFactory().user)
    member = client.get(URL)
    assert member.status_code == 403
    assert "Tableau de bord de l'équipe" not in member.content.decode()
    assert client.get(URL + "par-province.csv").status_code == 403
    client.force_login(StaffFactory())
    assert client.get(URL).status_code == 200


def test_staff_navigation_links_to_the_dashboard(staff_client):
    assert 'href="/equipe/tableau-de-bord/"' in staff_client.get("/").content.decode()


def test_page_needs_the_same_number_of_queries_whatever_the_data(
    staff_client, world, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as small:
        staff_client.get(URL, MARCH)
    namur = real_commune("Namur")
    for day in range(2, 20):
        organization = OrganizationFactory(activities=["food"], municipality=namur)
        request_with_history(
            local(2026, 3, day, 9, 0),
            [
                ("routed", local(2026, 3, day, 9, 5), organization),
                ("accepted", local(2026, 3, day, 11, 0), organization),
            ],
            municipality=namur,
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = staff_client.get(URL, MARCH)
    assert "23 demandes reçues sur la période." in text(response)
    with django_assert_max_num_queries(10):
        staff_client.get(URL, MARCH)
