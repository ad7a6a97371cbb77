"""Public forms feeding the staff moderation queue: "Proposer une organisation", "Signaler une erreur"."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from directory.antispam import ProtectedForm, client_address, rate_limited
from maps.models import PostalCode
from network.listings.forms import normalize_newlines
from network.listings.models import ActivitySlug, NeedSlug, Organization
from network.listings.selectors import organization_get_public
from network.moderation.services import error_report_submit, organization_propose


class ProposalForm(ProtectedForm):
    """What the public tells about an organisation it proposes; staff complete the rest."""

    name = forms.CharField(label=gettext_lazy("Nom de l'organisation"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Type"), choices=Organization.Kind.choices)
    description = forms.CharField(
        label=gettext_lazy("Ce que fait l'organisation"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    postal_code = forms.CharField(label=gettext_lazy("Code postal"), min_length=4, max_length=4)
    activities = forms.MultipleChoiceField(
        label=gettext_lazy("Activités"),
        choices=ActivitySlug.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    needs = forms.MultipleChoiceField(
        label=gettext_lazy("Besoins actuels"),
        choices=NeedSlug.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    email = forms.EmailField(label=gettext_lazy("E-mail public de l'organisation"), required=False)
    phone = forms.CharField(label=gettext_lazy("Téléphone public"), required=False, max_length=40)
    website = forms.URLField(
        label=gettext_lazy("Site web"), required=False, max_length=200, assume_scheme="https"
    )
    proposer_name = forms.CharField(label=gettext_lazy("Votre nom"), max_length=120)
    proposer_email = forms.EmailField(
        label=gettext_lazy("Votre e-mail"),
        help_text=gettext_lazy("Pour vous répondre ; jamais publié."),
    )
    proposer_role = forms.CharField(
        label=gettext_lazy("Votre lien avec l'organisation"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Par exemple : coordinatrice, bénévole, voisin."),
    )

    def clean_postal_code(self):
        code = self.cleaned_data["postal_code"].strip()
        self.postal = PostalCode.objects.select_related("municipality").filter(code=code).first()
        if self.postal is None:
            raise ValidationError(
                _("Le code postal %(code)s n'est pas un code postal wallon.") % {"code": code}
            )
        return code

    def clean_description(self):
        return normalize_newlines(self.cleaned_data["description"])


class ErrorReportForm(ProtectedForm):
    """An error seen on a public listing."""

    message = forms.CharField(
        label=gettext_lazy("Qu'est-ce qui est inexact ?"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "min_length": gettext_lazy(
                "Décrivez l'erreur en quelques mots (10 caractères au moins)."
            ),
            "max_length": gettext_lazy("2000 caractères au maximum, s'il vous plaît."),
        },
    )
    reporter_email = forms.EmailField(
        label=gettext_lazy("Votre e-mail (facultatif)"),
        required=False,
        help_text=gettext_lazy("Seulement pour vous répondre ; jamais publié."),
    )


def _limited(request, scope: str, email: str = "") -> bool:
    if rate_limited(scope, client_address(request)):
        return True
    return bool(email) and rate_limited(f"{scope}-email", email.lower(), limit=3)


@require_http_methods(["GET", "POST"])
def organization_propose_view(request):
    """ "Proposer une organisation": a pending listing that staff review before it appears."""
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_spam():
            return redirect("directory:proposal_thanks")
        data = form.cleaned_data
        if _limited(request, "proposal", data["proposer_email"]):
            form.add_error(
                None,
                _(
                    "Trop de propositions envoyées depuis cette connexion. Réessayez dans une heure."
                ),
            )
            return render(
                request, "directory/organization_propose.html", {"form": form}, status=429
            )
        else:
            postal = form.postal
            organization_propose(
                proposer_name=data["proposer_name"],
                proposer_email=data["proposer_email"],
                proposer_role=data["proposer_role"],
                name=data["name"],
                kind=data["kind"],
                description=data["description"],
                postal_code=postal.code,
                municipality=postal.municipality,
                email=data["email"],
                phone=data["phone"],
                website=data["website"],
                activities=data["activities"],
                needs=data["needs"],
                area_served=[postal.municipality],
            )
            return redirect("directory:proposal_thanks")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "directory/organization_propose.html", {"form": form}, status=status)


@require_GET
def proposal_thanks(request):
    return render(request, "directory/organization_propose_thanks.html")


@require_http_methods(["GET", "POST"])
def organization_report(request, slug: str):
    """ "Signaler une erreur" on a public listing."""
    organization = organization_get_public(slug)
    form = ErrorReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.is_spam():
            data = form.cleaned_data
            if _limited(request, "report", data["reporter_email"]):
                form.add_error(
                    None,
                    _(
                        "Trop de signalements envoyés depuis cette connexion. Réessayez dans une heure."
                    ),
                )
                return render(
                    request,
                    "directory/organization_report.html",
                    {"organization": organization, "form": form},
                    status=429,
                )
            error_report_submit(
                organization=organization,
                message=data["message"],
                reporter_email=data["reporter_email"],
            )
        messages.success(request, _("Merci ! L'équipe de la coordination va vérifier cette fiche."))
        return redirect("directory:organization_detail", slug=organization.slug)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "directory/organization_report.html",
        {"organization": organization, "form": form},
        status=status,
    )
