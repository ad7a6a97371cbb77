"""The opening hours and closures of a listing, as the two formsets of "Modifier ma fiche"."""

from django import forms
from django.utils.translation import gettext_lazy as _

from network.listings.models import Organization, Weekday


class OpeningPeriodForm(forms.Form):
    """One weekly opening of the listing ("mardi 14:00–18:00")."""

    # The blank choice keeps the extra, untouched rows empty (an empty row adds nothing).
    weekday = forms.TypedChoiceField(
        label=_("Jour"), choices=[("", "—"), *Weekday.choices], coerce=int, empty_value=None
    )
    opens_at = forms.TimeField(
        label=_("De"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    closes_at = forms.TimeField(
        label=_("À"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    note = forms.CharField(label=_("Précision"), required=False, max_length=100)

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("L'heure de fermeture doit suivre l'heure d'ouverture."))
        return cleaned


class ClosureForm(forms.Form):
    """One exceptional closure between two dates, inclusive."""

    starts_on = forms.DateField(
        label=_("Du"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Au (inclus)"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(label=_("Motif"), required=False, max_length=200)

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("La fin de la fermeture doit suivre son début."))
        return cleaned


def schedule_formsets(data, organization: Organization):
    """The hours and closures formsets of "Modifier ma fiche", or (None, None) for a POST
    that does not carry them (the rows then stay as they are)."""
    if data is not None and "periods-TOTAL_FORMS" not in data:
        return None, None
    periods = [
        {"weekday": p.weekday, "opens_at": p.opens_at, "closes_at": p.closes_at, "note": p.note}
        for p in organization.opening_periods.all()
    ]
    closures = [
        {"starts_on": c.starts_on, "ends_on": c.ends_on, "reason": c.reason}
        for c in organization.closures.all()
    ]
    return (
        OpeningPeriodFormSet(data, initial=periods, prefix="periods"),
        ClosureFormSet(data, initial=closures, prefix="closures"),
    )


def formset_rows(formset) -> list[dict]:
    """The kept, filled rows of a valid formset."""
    return [
        {name: value for name, value in form.cleaned_data.items() if name != "DELETE"}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


OpeningPeriodFormSet = forms.formset_factory(
    OpeningPeriodForm, extra=2, can_delete=True, max_num=30, validate_max=True
)


ClosureFormSet = forms.formset_factory(
    ClosureForm, extra=1, can_delete=True, max_num=20, validate_max=True
)
