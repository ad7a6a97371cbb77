"""Forms of members' accounts: logging in by e-mail address, inviting a member."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from network.members.models import Membership


class EmailLoginForm(AuthenticationForm):
    """Django's login form, asking for an e-mail address instead of a user name."""

    username = forms.CharField(
        label=_("Adresse e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": _(
            "Adresse e-mail ou mot de passe incorrect. Attention : après plusieurs essais, "
            "la connexion est bloquée quelques minutes."
        ),
        "inactive": _("Ce compte est désactivé. Contactez l'équipe de la coordination."),
    }


class MemberInviteForm(forms.Form):
    """An organisation admin (or staff) invites someone by e-mail."""

    email = forms.EmailField(label=_("Adresse e-mail de la personne"), max_length=254)
    role = forms.ChoiceField(
        label=_("Rôle"), choices=Membership.Role.choices, initial=Membership.Role.EDITOR
    )

    def __init__(self, *args, can_choose_admin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_choose_admin:
            self.fields["role"].choices = [(Membership.Role.EDITOR, Membership.Role.EDITOR.label)]
