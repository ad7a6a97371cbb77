"""Forms of the staff pages: they check shape only and hand clean values to selectors/services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from network.models import ActivitySlug, NeedSlug


class CoverageFilterForm(forms.Form):
    """Narrow the coverage map to one activity and/or one need."""

    activity = forms.ChoiceField(
        label=_("Activité"),
        required=False,
        choices=[("", _("Toutes les activités")), *ActivitySlug.choices],
        error_messages={"invalid_choice": _("Activité inconnue : « %(value)s ».")},
    )
    need = forms.ChoiceField(
        label=_("Besoin"),
        required=False,
        choices=[("", _("Tous les besoins")), *NeedSlug.choices],
        error_messages={"invalid_choice": _("Besoin inconnu : « %(value)s ».")},
    )
