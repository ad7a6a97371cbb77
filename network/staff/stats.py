"""Figures of the staff dashboard, each in a constant number of aggregate queries.

Everything here works the same on SQLite and PostgreSQL: weeks come from Django's TruncWeek
(converted to the site's time zone by the database layer), and the median is taken in Python
over one column of answer delays rather than with a database-specific percentile function.
"""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, DateField, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from maps.models import Province
from network.contact.models import ContactRequest, ContactRequestEvent
from network.listings.models import ActivitySlug, Organization
from network.listings.selectors import with_staleness

Status = ContactRequest.Status
# The order of the stacked bars and of the CSV columns: the life of a request.
STATUS_ORDER = [
    Status.NEW,
    Status.ROUTED,
    Status.ACCEPTED,
    Status.DECLINED,
    Status.EXPIRED,
    Status.CLOSED,
]
ANSWERS = (Status.ACCEPTED, Status.DECLINED)
# Requests given without a commune are counted on their own line, not dropped.
NO_PROVINCE = ""


@dataclass(frozen=True)
class Period:
    """A range of whole days, both ends included, in the site's time zone."""

    start: date
    end: date

    @property
    def starts_at(self) -> datetime:
        """The first instant of the period (local midnight of the first day)."""
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def ends_at(self) -> datetime:
        """The first instant after the period (local midnight after the last day)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def weeks(self) -> list[date]:
        """The Monday of every week the period touches, oldest first."""
        monday = self.start - timedelta(days=self.start.weekday())
        weeks = []
        while monday <= self.end:
            weeks.append(monday)
            monday += timedelta(days=7)
        return weeks


def default_period(today: date | None = None, weeks: int = 12) -> Period:
    """The last `weeks` weeks: from the Monday `weeks - 1` weeks ago to today."""
    today = today or timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    return Period(monday - timedelta(weeks=weeks - 1), today)


@dataclass(frozen=True)
class WeekRow:
    """Requests received in one week, by their current status."""

    week: date
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def requests_per_week(period: Period) -> list[WeekRow]:
    """Requests received each week of the period, by current status (one query)."""
    rows = (
        ContactRequest.objects.filter(
            created_at__gte=period.starts_at, created_at__lt=period.ends_at
        )
        .annotate(week=TruncWeek("created_at", output_field=DateField()))
        .values("week", "status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    by_week: dict[date, dict[str, int]] = {
        week: dict.fromkeys(STATUS_ORDER, 0) for week in period.weeks
    }
    for row in rows:
        by_week.setdefault(row["week"], dict.fromkeys(STATUS_ORDER, 0))[row["status"]] += row[
            "count"
        ]
    return [WeekRow(week, counts) for week, counts in sorted(by_week.items())]


@dataclass
class AnswerTimes:
    """How fast organisations answer the requests routed to them during the period."""

    routed: int = 0
    answered: int = 0
    # Routings that can be judged: answered, ended otherwise, or older than the threshold.
    judged: int = 0
    answered_within: int = 0
    threshold_days: float = 3
    median: timedelta | None = None
    delays: list[timedelta] = field(default_factory=list, repr=False)

    @property
    def share_within(self) -> float | None:
        """The share (0 to 1) of judged routings answered within the threshold."""
        return self.answered_within / self.judged if self.judged else None


def _routings(period: Period) -> QuerySet[ContactRequestEvent]:
    """Every routing of the period, with the first status change that followed it."""
    # A routing is a status change to "routed", or a new assignment while already "routed".
    routing_kinds = [ContactRequestEvent.Kind.TRANSITION, ContactRequestEvent.Kind.REROUTED]
    following = (
        ContactRequestEvent.objects.filter(request=OuterRef("request"), kind__in=routing_kinds)
        .filter(
            Q(created_at__gt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
        )
        .order_by("created_at", "pk")
    )
    return (
        ContactRequestEvent.objects.filter(
            kind__in=routing_kinds,
            to_status=Status.ROUTED,
            created_at__gte=period.starts_at,
            created_at__lt=period.ends_at,
        )
        .annotate(
            next_status=Subquery(following.values("to_status")[:1]),
            next_at=Subquery(following.values("created_at")[:1]),
        )
        .order_by()
    )


def answer_times(period: Period, now: datetime | None = None) -> AnswerTimes:
    """Median delay from routing to the organisation's answer, and the share answered in time.

    A routing counts once; its answer is the status change that follows it, if that change is
    an acceptance or a refusal (an expiry, a withdrawal or a new routing means no answer). A
    routing still waiting but younger than the threshold cannot be judged yet and is left out
    of the share. One query.
    """
    now = now or timezone.now()
    threshold = timedelta(days=settings.RELAIS_CONTACT_REMINDER_DAYS)
    result = AnswerTimes(threshold_days=settings.RELAIS_CONTACT_REMINDER_DAYS)
    for routed_at, next_status, next_at in _routings(period).values_list(
        "created_at", "next_status", "next_at"
    ):
        result.routed += 1
        if next_status in ANSWERS:
            delay = next_at - routed_at
            result.answered += 1
            result.judged += 1
            result.delays.append(delay)
            if delay <= threshold:
                result.answered_within += 1
        elif next_status is not None or now - routed_at > threshold:
            result.judged += 1
    if result.delays:
        result.median = statistics.median(sorted(result.delays))
    return result


@dataclass(frozen=True)
class ProvinceRow:
    """One province: published organisations and requests received during the period."""

    province: str
    label: str
    organizations: int
    requests: int


def counts_by_province(period: Period) -> list[ProvinceRow]:
    """Published organisations (today) and requests received (in the period) per province."""
    organizations = dict(
        Organization.objects.filter(status=Organization.Status.PUBLISHED)
        .values("municipality__province")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("municipality__province", "count")
    )
    requests = {
        province or NO_PROVINCE: count
        for province, count in ContactRequest.objects.filter(
            created_at__gte=period.starts_at, created_at__lt=period.ends_at
        )
        .values("municipality__province")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("municipality__province", "count")
    }
    rows = [
        ProvinceRow(
            province.value,
            str(province.label),
            organizations.get(province, 0),
            requests.get(province, 0),
        )
        for province in Province
    ]
    if requests.get(NO_PROVINCE):
        rows.append(ProvinceRow(NO_PROVINCE, _("Commune non indiquée"), 0, requests[NO_PROVINCE]))
    return rows


@dataclass(frozen=True)
class CoverageMatrix:
    """Published organisations per province (rows) and activity (columns); zeros included."""

    activities: list[tuple[str, str]]
    rows: list[tuple[str, str, list[int]]]

    @property
    def maximum(self) -> int:
        return max(
            (count for _province, _label, counts in self.rows for count in counts), default=0
        )


def activity_coverage() -> CoverageMatrix:
    """How many published organisations offer each activity in each province (one query)."""
    counts: dict[tuple[str, str], int] = {
        (province, slug): count
        for province, slug, count in Organization.objects.filter(
            status=Organization.Status.PUBLISHED, activities__isnull=False
        )
        .values("municipality__province", "activities__slug")
        .annotate(count=Count("pk", distinct=True))
        .order_by()
        .values_list("municipality__province", "activities__slug", "count")
    }
    activities = [(slug.value, str(slug.label)) for slug in ActivitySlug]
    rows = [
        (
            province.value,
            str(province.label),
            [counts.get((province.value, slug), 0) for slug, _label in activities],
        )
        for province in Province
    ]
    return CoverageMatrix(activities, rows)


def listings_to_check() -> QuerySet[Organization]:
    """Published listings never confirmed, or not confirmed since the member space's threshold.

    Staleness is the member space's rule (with_staleness); a listing never confirmed is listed
    here too, however new, because staff want every listing confirmed once. Oldest first.
    """
    return (
        with_staleness(Organization.objects.filter(status=Organization.Status.PUBLISHED))
        .filter(Q(is_stale=True) | Q(verified_at__isnull=True))
        .select_related("municipality")
        .order_by(F("verified_at").asc(nulls_first=True), "created_at", "name", "pk")
    )
