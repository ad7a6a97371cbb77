"""A refused stale save of a listing: what the person typed next to what is stored now."""

from operator import itemgetter

from django.utils.translation import gettext_lazy as _

from network.listings.forms import OrganizationEditForm
from network.listings.languages import SPOKEN_LANGUAGE_LABELS
from network.listings.models import ActivitySlug, NeedSlug, Organization, Weekday
from network.listings.schedule_forms import formset_rows

STALE_MESSAGE = _(
    "Quelqu'un d'autre a enregistré cette fiche depuis que vous l'avez ouverte : vos "
    "modifications ne sont pas enregistrées. Elles sont conservées dans le formulaire. "
    "Comparez-les avec ce qui est enregistré maintenant (ci-dessous), corrigez si besoin, "
    "puis enregistrez à nouveau."
)


def _labels(values, labels: dict) -> str:
    return ", ".join(str(labels.get(value, value)) for value in sorted(values)) or "—"


def _point_text(latitude, longitude) -> str:
    if latitude is None or longitude is None:
        return "—"
    return f"{latitude:.6f}, {longitude:.6f}"


def _period_text(row: dict) -> str:
    text = f"{Weekday(row['weekday']).label} {row['opens_at']:%H:%M}–{row['closes_at']:%H:%M}"
    return f"{text} ({row['note']})" if row.get("note") else text


def _closure_text(row: dict) -> str:
    text = f"{row['starts_on']:%d/%m/%Y} – {row['ends_on']:%d/%m/%Y}"
    return f"{text} ({row['reason']})" if row.get("reason") else text


def stale_differences(
    form: OrganizationEditForm, organization: Organization, periods=None, closures=None
) -> list[dict]:
    """What the person typed next to what is stored now, for each field where they differ.

    Shown when their save was refused as stale (StaleListingError), so that they can see what
    someone else changed and redo their own changes. `organization` is the listing as stored
    now; `periods` and `closures` are the posted hours formsets (valid), or None.
    """
    typed = form.update_kwargs()
    yes_no = {True: _("oui"), False: _("non")}
    visibility = dict(Organization.AddressVisibility.choices)
    pairs = []  # (field label, value typed, value stored), both as comparable texts
    for name in ("name", "description", "temporary_message", "schedule", "email", "phone"):
        pairs.append((name, typed[name] or "—", getattr(organization, name) or "—"))
    pairs += [
        ("website", typed["website"] or "—", organization.website or "—"),
        ("routing_email", typed["routing_email"] or "—", organization.routing_email or "—"),
        (
            "needs",
            _labels(typed["needs"], dict(NeedSlug.choices)),
            _labels(organization.needs.values_list("slug", flat=True), dict(NeedSlug.choices)),
        ),
        (
            "activities",
            _labels(typed["activities"], dict(ActivitySlug.choices)),
            _labels(
                organization.activities.values_list("slug", flat=True), dict(ActivitySlug.choices)
            ),
        ),
        (
            "area_served",
            _labels({m.name_fr for m in typed["area_served"]}, {}),
            _labels(set(organization.area_served.values_list("name_fr", flat=True)), {}),
        ),
        (
            "languages",
            _labels([c for c in typed["languages"].split(",") if c], SPOKEN_LANGUAGE_LABELS),
            _labels(organization.language_codes, SPOKEN_LANGUAGE_LABELS),
        ),
        (
            "accepting_requests",
            yes_no[typed["accepting_requests"]],
            yes_no[organization.accepting_requests],
        ),
        ("address", typed["address"] or "—", organization.address or "—"),
        ("postal_code", typed["postal_code"], organization.postal_code or "—"),
        (
            "address_visibility",
            visibility[typed["address_visibility"]],
            visibility.get(organization.address_visibility, organization.address_visibility),
        ),
        (
            "point",
            _point_text(typed["latitude"], typed["longitude"]),
            _point_text(organization.latitude, organization.longitude),
        ),
    ]
    if "hospitable_commune" in typed:
        pairs += [
            (
                "hospitable_commune",
                yes_no[typed["hospitable_commune"]],
                yes_no[organization.hospitable_commune],
            ),
            ("facilities", typed["facilities"] or "—", organization.facilities or "—"),
        ]
    rows = [
        {"label": form.fields[name].label, "typed": mine, "stored": theirs}
        for name, mine, theirs in pairs
        if mine != theirs
    ]
    if periods is not None and closures is not None:
        for label, formset, keys, stored, text in (
            (
                _("Permanences de la semaine"),
                periods,
                ("weekday", "opens_at", "closes_at", "note"),
                organization.opening_periods,
                _period_text,
            ),
            (
                _("Fermetures exceptionnelles"),
                closures,
                ("starts_on", "ends_on", "reason"),
                organization.closures,
                _closure_text,
            ),
        ):
            order = itemgetter(*keys)
            mine = [text(row) for row in sorted(formset_rows(formset), key=order)]
            theirs = [text(row) for row in sorted(stored.values(*keys), key=order)]
            if mine != theirs:
                rows.append(
                    {
                        "label": label,
                        "typed": "; ".join(mine) or "—",
                        "stored": "; ".join(theirs) or "—",
                    }
                )
    return rows
