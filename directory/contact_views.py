"""Public contact pages: the two forms, the confirmation, and the citizen's withdraw link."""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from directory.forms import (
    ContactRequestForm,
    RateLimited,
    busy_message,
    client_ip,
    issue_form_token,
)
from network.contact.links import LinkProblem, withdraw_link_resolve
from network.contact.models import ContactRequest
from network.contact.transitions import Actor, IllegalTransition, contact_request_withdraw
from network.infrastructure.busy import DatabaseBusy
from network.listings.models import Organization
from network.listings.selectors import organization_get_public

CONFIRMATION_SALT = "relais.contact.confirmation"


def _handle(request, *, target: Organization | None, source: str, template_context: dict):
    status = 200
    retry_after = None
    if request.method == "POST":
        form = ContactRequestForm(request.POST, target=target)
        if form.is_valid():
            try:
                contact_request = form.submit(source=source, ip=client_ip(request.META))
            except RateLimited:
                form.add_error(None, _rate_limited_message())
                status = 429
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            except DatabaseBusy as busy:
                # Nothing was written; the form comes back filled in, to be sent again.
                form.add_error(None, busy_message())
                status = 503
                retry_after = busy.retry_after
            else:
                token = signing.dumps(contact_request.reference, salt=CONFIRMATION_SALT)
                return redirect("directory:contact_confirmation", token=token)
        # Every re-display gets a fresh token: fixing a mistake must not look like a replay.
        data = request.POST.copy()
        data["form_token"] = issue_form_token()
        form.data = data
    else:
        initial = {"form_token": issue_form_token()}
        if request.GET.get("near"):
            initial["place"] = request.GET["near"][:100]
        if request.GET.get("intent") in ContactRequest.Intent.values:
            initial["intent"] = request.GET["intent"]
        form = ContactRequestForm(initial=initial, target=target)
    context = {
        "form": form,
        "retention_days": f"{settings.RELAIS_CONTACT_RETENTION_DAYS:g}",
        **template_context,
    }
    response = render(request, "directory/contactrequest_form.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _rate_limited_message() -> str:
    return gettext(
        "Trop de demandes ont été envoyées depuis votre connexion ou avec cette adresse e-mail. "
        "Réessayez dans une heure, ou écrivez directement à l'équipe de coordination."
    )


@require_http_methods(["GET", "POST"])
def contact_organization(request, slug: str):
    """ "Contacter ce collectif" from a listing."""
    organization = organization_get_public(slug)
    return _handle(
        request,
        target=organization,
        source=ContactRequest.Source.ORGANIZATION_FORM,
        template_context={"organization": organization},
    )


@require_http_methods(["GET", "POST"])
def contact_general(request):
    """ "Je veux aider près de chez moi": no collective chosen, routing picks one."""
    return _handle(
        request, target=None, source=ContactRequest.Source.GENERAL_FORM, template_context={}
    )


def contact_confirmation(request, token: str):
    """Where the request went. The signed token keeps others from reading it by reference."""
    try:
        reference = signing.loads(token, salt=CONFIRMATION_SALT, max_age=7 * 86400)
        contact_request = ContactRequest.objects.select_related("assigned_organization").get(
            reference=reference
        )
    except (signing.BadSignature, ContactRequest.DoesNotExist):
        raise Http404 from None
    return render(
        request, "directory/contactrequest_confirmation.html", {"contact_request": contact_request}
    )


@require_http_methods(["GET", "POST"])
def contact_withdraw(request, token: str):
    """The citizen's withdraw link from the receipt: confirm, then withdraw."""
    try:
        contact_request = withdraw_link_resolve(token)
    except LinkProblem as problem:
        return render(
            request,
            "directory/contactrequest_withdraw.html",
            {"problem": problem.code},
            status=_problem_status(problem),
        )
    if request.method == "POST":
        try:
            contact_request_withdraw(
                contact_request, actor=Actor(label=gettext("la personne (lien de retrait)"))
            )
        except IllegalTransition:
            return render(
                request, "directory/contactrequest_withdraw.html", {"problem": "closed"}, status=409
            )
        return render(
            request,
            "directory/contactrequest_withdraw.html",
            {"done": True, "contact_request": contact_request},
        )
    return render(
        request,
        "directory/contactrequest_withdraw.html",
        {
            "contact_request": contact_request,
            "action": reverse("directory:contact_withdraw", args=[token]),
        },
    )


def _problem_status(problem: LinkProblem) -> int:
    return {"tampered": 400, "expired": 410, "closed": 409}.get(problem.code, 409)
