"""Staff pages (/equipe/): every listing, the moderation queue, the history of listings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from network.infrastructure.forms import add_errors
from network.listings.models import Organization, OrganizationChange
from network.listings.selectors import organization_list_for_staff
from network.listings.services import (
    StaleListingError,
    organization_change_revert,
    organization_version,
)
from network.moderation.models import ErrorReport, OrganizationProposal
from network.moderation.selectors import (
    error_report_list_pending,
    organization_change_list,
    proposal_list_pending,
)
from network.moderation.services import error_report_decide, proposal_approve, proposal_reject
from network.staff.forms import DecisionForm


@require_GET
def organization_list_staff(request):
    """Every listing, whatever its status: search by name, then edit, manage members, see history."""
    organizations = organization_list_for_staff(
        query=request.GET.get("q", "")[:100],
        status=request.GET.get("statut", ""),
        stale_only=request.GET.get("a_verifier") == "1",
    )
    page = Paginator(organizations, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "network/organization_list_staff.html",
        {
            "page": page,
            "q": request.GET.get("q", "")[:100],
            "status": request.GET.get("statut", ""),
            "stale_only": request.GET.get("a_verifier") == "1",
            "statuses": Organization.Status.choices,
            "querystring": query.urlencode(),
        },
    )


@require_GET
def moderation_queue(request):
    """Proposed listings and reported errors waiting for staff."""
    return render(
        request,
        "network/moderation_queue.html",
        {"proposals": proposal_list_pending(), "reports": error_report_list_pending()},
    )


@require_http_methods(["GET", "POST"])
def proposal_review(request, pk: int):
    """One proposed listing: read it, accept (publish) or refuse it with a message."""
    proposal = get_object_or_404(
        OrganizationProposal.objects.select_related(
            "organization", "organization__municipality", "decided_by"
        ),
        pk=pk,
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                proposal_approve(
                    proposal,
                    actor=request.user,
                    message=form.cleaned_data["message"],
                    invite_proposer=form.cleaned_data["invite_proposer"],
                )
                messages.success(request, _("Fiche publiée ; la personne est prévenue par e-mail."))
            else:
                proposal_reject(proposal, actor=request.user, message=form.cleaned_data["message"])
                messages.success(
                    request, _("Proposition refusée ; la personne est prévenue par e-mail.")
                )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("network:moderation_queue")
    return render(request, "network/proposal_review.html", {"proposal": proposal, "form": form})


@require_http_methods(["GET", "POST"])
def report_review(request, pk: int):
    """One reported error: mark it corrected or without follow-up, answering the person."""
    report = get_object_or_404(
        ErrorReport.objects.select_related("organization", "decided_by"), pk=pk
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            error_report_decide(
                report,
                actor=request.user,
                accepted=form.cleaned_data["decision"] == "approve",
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Signalement traité."))
            return redirect("network:moderation_queue")
    return render(request, "network/report_review.html", {"report": report, "form": form})


@require_GET
def organization_history(request, slug: str):
    """Every recorded change of a listing, newest first, each one revertible."""
    organization = get_object_or_404(Organization, slug=slug)
    return render(
        request,
        "network/organization_history.html",
        {
            "organization": organization,
            "changes": organization_change_list(organization),
            # Each "undo" button sends the version shown, so a revert is refused once the
            # listing changed after the page was displayed (the history would have grown).
            "version": organization_version(organization),
        },
    )


@require_POST
def organization_change_undo(request, pk: int):
    """Revert one recorded change."""
    change = get_object_or_404(OrganizationChange.objects.select_related("organization"), pk=pk)
    try:
        reverted = organization_change_revert(
            change, actor=request.user, expected_version=request.POST.get("version")
        )
    except StaleListingError:
        messages.error(
            request,
            _(
                "La fiche a été modifiée depuis l'affichage de l'historique : rien n'a été "
                "annulé. Relisez l'historique à jour avant d'annuler."
            ),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if reverted is None:
            messages.info(request, _("La fiche avait déjà ces valeurs : rien à annuler."))
        else:
            messages.success(
                request, _("Modification annulée ; l'annulation figure dans l'historique.")
            )
    return redirect("network:organization_history", slug=change.organization.slug)
