"""Forms of the staff pages: coverage filters, moderation decisions, routing and closing requests.

They check shape only; the services decide.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from network.contact.models import ContactRequest
from network.listings.models import ActivitySlug, NeedSlug


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


class DecisionForm(forms.Form):
    """Staff decision on a proposal or a report, with a message for the person."""

    decision = forms.ChoiceField(
        choices=[("approve", _("Accepter")), ("reject", _("Refuser"))], widget=forms.HiddenInput
    )
    message = forms.CharField(
        label=_("Message à la personne"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    invite_proposer = forms.BooleanField(
        label=_("Inviter cette personne comme administratrice de la fiche"),
        required=False,
        initial=True,
    )


class RequestCloseForm(forms.Form):
    """Staff close a request: the outcome is a choice to make, never a default."""

    outcome = forms.ChoiceField(
        label=_("Issue"),
        # The empty first choice: closing by mistake must not record a success.
        choices=[("", _("— Choisissez l'issue —")), *ContactRequest.Outcome.choices],
        error_messages={
            "required": _("Choisissez l'issue de la demande avant de la clôturer."),
            "invalid_choice": _("Issue inconnue : « %(value)s »."),
        },
    )
    reason = forms.CharField(label=_("Commentaire (facultatif)"), required=False, max_length=500)


class RequestRouteForm(forms.Form):
    """Staff pick the organisation to send a request to, by name and commune."""

    organization = forms.CharField(
        label=_("Choix manuel : nom ou commune de l'organisation"),
        max_length=260,
        error_messages={"required": _("Choisissez une organisation.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    manual = forms.BooleanField(required=False, widget=forms.HiddenInput)
