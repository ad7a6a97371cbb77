"""The staff dashboard: requests, answer times, provinces, activities, listings to check; CSV."""

import csv
import io
from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from network.staff.charts import bar_chart
from network.staff.stats import (
    STATUS_ORDER,
    AnswerTimes,
    Period,
    activity_coverage,
    answer_times,
    counts_by_province,
    default_period,
    listings_to_check,
    requests_per_week,
)

# Colours with at least 3:1 contrast against white (graphical objects, WCAG 1.4.11), told
# apart by the legend, the order of the segments and the table as well as by hue.
STATUS_COLORS = {
    "new": "#595959",
    "routed": "#0b5c8a",
    "accepted": "#1d7434",
    "declined": "#a4001d",
    "expired": "#9a4a00",
    "closed": "#6a3d9a",
}
ORGANIZATIONS_COLOR = "#0b5c8a"
REQUESTS_COLOR = "#9a4a00"
# Longer periods make unreadable charts; two years covers any yearly comparison.
MAX_PERIOD_DAYS = 2 * 366


class PeriodForm(forms.Form):
    """The period shown: both ends optional (the last 12 weeks by default)."""

    du = forms.DateField(label=gettext_lazy("Du"), required=False)
    au = forms.DateField(label=gettext_lazy("Au (inclus)"), required=False)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        default = default_period()
        start, end = data.get("du") or default.start, data.get("au") or default.end
        today = timezone.localdate()
        if end > today:
            self.add_error("au", _("La date de fin ne peut pas être dans le futur."))
        elif start > end:
            self.add_error("du", _("La date de début doit précéder la date de fin."))
        elif (end - start).days >= MAX_PERIOD_DAYS:
            self.add_error(
                "du",
                _("La période ne peut pas dépasser deux ans : choisissez des dates plus proches."),
            )
        else:
            data["period"] = Period(start, end)
        return data


def _period(request) -> tuple[PeriodForm, Period, bool]:
    """The form, the period it gives (the default one if invalid), and whether it was valid."""
    form = PeriodForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["period"], True
    return form, default_period(), not form.is_bound


def _hours(delay: timedelta | None) -> float | None:
    return None if delay is None else delay.total_seconds() / 3600


def describe_delay(delay: timedelta | None) -> str:
    """A delay as people say it: "5 h", "1,5 jour", "3 jours"."""
    if delay is None:
        return _("pas encore de réponse")
    hours = delay.total_seconds() / 3600
    if hours < 48:
        return _("%(hours)s h") % {"hours": _decimal(hours, 0 if hours >= 10 else 1)}
    days = hours / 24
    return _("%(days)s jours") % {"days": _decimal(days, 1)}


def _decimal(value: float, digits: int = 1) -> str:
    """A number with a decimal comma, as Belgian French writes it (and spreadsheets read it)."""
    text = f"{value:.{digits}f}"
    if digits:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _week_label(monday: date) -> str:
    return monday.strftime("%d/%m/%y")


def _status_label(status: str) -> str:
    return {
        "new": _("Nouvelle"),
        "routed": _("Transmise"),
        "accepted": _("Acceptée"),
        "declined": _("Refusée"),
        "expired": _("Expirée"),
        "closed": _("Clôturée"),
    }[status]


def _figures(period: Period) -> dict:
    """Every figure of the page for one period (a constant number of queries)."""
    weeks = requests_per_week(period)
    answers = answer_times(period)
    provinces = counts_by_province(period)
    matrix = activity_coverage()
    return {"weeks": weeks, "answers": answers, "provinces": provinces, "matrix": matrix}


@require_GET
def dashboard(request):
    """Staff dashboard for a period (default: the last 12 weeks)."""
    form, period, valid = _period(request)
    figures = _figures(period)
    statuses = [(status, _status_label(status), STATUS_COLORS[status]) for status in STATUS_ORDER]
    weeks_chart = bar_chart(
        [
            (_week_label(row.week), [row.counts[status] for status in STATUS_ORDER])
            for row in figures["weeks"]
        ],
        [(label, color) for _status, label, color in statuses],
    )
    provinces_chart = bar_chart(
        [(row.label, [row.organizations, row.requests]) for row in figures["provinces"]],
        [
            (_("Organisations publiées"), ORGANIZATIONS_COLOR),
            (_("Demandes reçues"), REQUESTS_COLOR),
        ],
        stacked=False,
    )
    answers: AnswerTimes = figures["answers"]
    share = answers.share_within
    to_check = list(listings_to_check())
    query = request.GET.urlencode() if valid and form.is_bound else ""
    return render(
        request,
        "network/dashboard.html",
        {
            "form": form,
            "period": period,
            "period_valid": valid,
            "query": query,
            "statuses": statuses,
            "weeks": figures["weeks"],
            "weeks_chart": weeks_chart,
            "weeks_total": sum(row.total for row in figures["weeks"]),
            "answers": answers,
            "median_text": describe_delay(answers.median),
            "share_percent": None if share is None else round(share * 100),
            "threshold_days": _decimal(answers.threshold_days, 1),
            "provinces": figures["provinces"],
            "provinces_chart": provinces_chart,
            "matrix": figures["matrix"],
            "to_check": to_check,
            "stale_after_days": settings.RELAIS_STALE_AFTER_DAYS,
        },
    )


# CSV downloads ------------------------------------------------------------------------------


def _csv_weeks(period: Period) -> list[list]:
    header = [_("Semaine du")] + [_status_label(s) for s in STATUS_ORDER] + [_("Total")]
    rows = [
        [row.week.isoformat()] + [row.counts[s] for s in STATUS_ORDER] + [row.total]
        for row in requests_per_week(period)
    ]
    return [header, *rows]


def _csv_answers(period: Period) -> list[list]:
    answers = answer_times(period)
    days = _decimal(answers.threshold_days, 1)
    share = answers.share_within
    return [
        [
            _("Du"),
            _("Au"),
            _("Transmissions"),
            _("Réponses (acceptée ou refusée)"),
            _("Délai médian de réponse (heures)"),
            _("Transmissions évaluables"),
            _("Réponses en %(days)s jours ou moins") % {"days": days},
            _("Part répondue en %(days)s jours (%%)") % {"days": days},
        ],
        [
            period.start.isoformat(),
            period.end.isoformat(),
            answers.routed,
            answers.answered,
            "" if answers.median is None else _decimal(_hours(answers.median), 1),
            answers.judged,
            answers.answered_within,
            "" if share is None else _decimal(share * 100, 1),
        ],
    ]


def _csv_provinces(period: Period) -> list[list]:
    return [
        [_("Province"), _("Organisations publiées"), _("Demandes reçues")],
        *[[row.label, row.organizations, row.requests] for row in counts_by_province(period)],
    ]


def _csv_activities(period: Period) -> list[list]:
    matrix = activity_coverage()
    return [
        [_("Province")] + [label for _slug, label in matrix.activities],
        *[[label, *counts] for _province, label, counts in matrix.rows],
    ]


def _csv_to_check(period: Period) -> list[list]:
    rows = [[_("Organisation"), _("Commune"), _("Province"), _("Confirmée le"), _("Lien")]]
    for organization in listings_to_check():
        rows.append(
            [
                organization.name,
                organization.municipality.name_fr,
                organization.municipality.get_province_display(),
                organization.verified_at.date().isoformat() if organization.verified_at else "",
                request_edit_url(organization),
            ]
        )
    return rows


def request_edit_url(organization) -> str:
    """Where staff correct a listing."""
    return settings.RELAIS_SITE_URL + reverse("network:organization_edit", args=[organization.slug])


CSV_FIGURES = {
    "demandes-par-semaine": _csv_weeks,
    "delai-de-reponse": _csv_answers,
    "par-province": _csv_provinces,
    "activites-par-province": _csv_activities,
    "fiches-a-verifier": _csv_to_check,
}


@require_GET
def dashboard_csv(request, figure: str):
    """One figure's data as CSV for a spreadsheet: UTF-8 with BOM, ";" between columns."""
    builder = CSV_FIGURES.get(figure)
    if builder is None:
        raise Http404(_("Cette figure n'existe pas."))
    form, period, valid = _period(request)
    if not valid:
        errors = " ".join(str(error) for errors in form.errors.values() for error in errors)
        return HttpResponseBadRequest(
            _("Période invalide : %(errors)s") % {"errors": errors},
            content_type="text/plain; charset=utf-8",
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(builder(period))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="relais-{figure}-{period.start.isoformat()}-{period.end.isoformat()}.csv"'
    )
    return response
