"""The moderation queue: listings proposed by the public, reported errors, staff decisions."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from network.listings.models import Organization
from network.listings.services import organization_create, organization_update
from network.members.auth import normalize_email, user_get_by_email
from network.members.models import Membership
from network.members.selectors import user_is_staff
from network.members.services import member_invite
from network.moderation.models import Decision, ErrorReport, OrganizationProposal
from network.outbox.services import absolute_url, email_send


@transaction.atomic
def organization_propose(
    *,
    proposer_name: str,
    proposer_email: str,
    proposer_role: str = "",
    activities: list[str] | None = None,
    needs: list[str] | None = None,
    area_served: list[Any] | None = None,
    **fields: Any,
) -> OrganizationProposal:
    """Create a pending listing proposed by the public, invisible until staff approve it."""
    fields.pop("status", None)
    organization = organization_create(
        status=Organization.Status.PENDING,
        activities=activities,
        needs=needs,
        area_served=area_served,
        **fields,
    )
    proposal = OrganizationProposal(
        organization=organization,
        proposer_name=proposer_name.strip(),
        proposer_email=normalize_email(proposer_email),
        proposer_role=proposer_role.strip(),
    )
    proposal.full_clean()
    proposal.save()
    email_send(
        "proposal_received",
        proposal.proposer_email,
        {"name": proposal.proposer_name, "organization_name": organization.name},
    )
    return proposal


def _require_staff(actor: AbstractBaseUser) -> None:
    if not user_is_staff(actor):
        raise PermissionDenied(_("Réservé à l'équipe de la coordination."))


def _lock_pending(model, pk: int):
    item = model.objects.select_for_update().select_related("organization").get(pk=pk)
    if item.status != Decision.PENDING:
        raise ValidationError(_("Cette demande a déjà été traitée."))
    return item


@transaction.atomic
def proposal_approve(
    proposal: OrganizationProposal,
    *,
    actor: AbstractBaseUser,
    message: str = "",
    invite_proposer: bool = False,
) -> OrganizationProposal:
    """Publish a proposed listing, tell the proposer, and optionally make them its admin."""
    _require_staff(actor)
    proposal = _lock_pending(OrganizationProposal, proposal.pk)
    organization_update(proposal.organization, status=Organization.Status.PUBLISHED, actor=actor)
    proposal.status = Decision.APPROVED
    proposal.decision_message = message.strip()
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.full_clean()
    proposal.save()
    existing = user_get_by_email(proposal.proposer_email)
    if invite_proposer and not (
        existing
        and Membership.objects.filter(user=existing, organization=proposal.organization).exists()
    ):
        member_invite(
            organization=proposal.organization,
            email=proposal.proposer_email,
            role=Membership.Role.ADMIN,
            invited_by=actor,
        )
    email_send(
        "proposal_approved",
        proposal.proposer_email,
        {
            "name": proposal.proposer_name,
            "organization_name": proposal.organization.name,
            "message": proposal.decision_message,
            "link": absolute_url("directory:organization_detail", slug=proposal.organization.slug),
            "invited": invite_proposer,
        },
    )
    return proposal


@transaction.atomic
def proposal_reject(
    proposal: OrganizationProposal, *, actor: AbstractBaseUser, message: str
) -> OrganizationProposal:
    """Refuse a proposed listing with a reason e-mailed to the proposer; it is never published."""
    _require_staff(actor)
    if not message.strip():
        raise ValidationError(
            {"message": _("Expliquez le refus : ce message est envoyé à la personne.")}
        )
    proposal = _lock_pending(OrganizationProposal, proposal.pk)
    organization_update(proposal.organization, status=Organization.Status.CLOSED, actor=actor)
    proposal.status = Decision.REJECTED
    proposal.decision_message = message.strip()
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.full_clean()
    proposal.save()
    email_send(
        "proposal_rejected",
        proposal.proposer_email,
        {
            "name": proposal.proposer_name,
            "organization_name": proposal.organization.name,
            "message": proposal.decision_message,
        },
    )
    return proposal


@transaction.atomic
def error_report_submit(
    *, organization: Organization, message: str, reporter_email: str = ""
) -> ErrorReport:
    """Record an error reported on a public listing, for staff to check."""
    if organization.status != Organization.Status.PUBLISHED:
        raise ValidationError(_("Cette fiche n'est pas publiée."))
    report = ErrorReport(
        organization=organization,
        message=message.strip(),
        reporter_email=normalize_email(reporter_email),
    )
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def error_report_decide(
    report: ErrorReport, *, actor: AbstractBaseUser, accepted: bool, message: str = ""
) -> ErrorReport:
    """Close a report as corrected (accepted) or without follow-up; the reporter gets the message."""
    _require_staff(actor)
    report = _lock_pending(ErrorReport, report.pk)
    report.status = Decision.APPROVED if accepted else Decision.REJECTED
    report.decision_message = message.strip()
    report.decided_by = actor
    report.decided_at = timezone.now()
    report.full_clean()
    report.save()
    if report.reporter_email and report.decision_message:
        email_send(
            "report_decided",
            report.reporter_email,
            {
                "organization_name": report.organization.name,
                "accepted": accepted,
                "message": report.decision_message,
                "link": absolute_url(
                    "directory:organization_detail", slug=report.organization.slug
                ),
            },
        )
    return report
