"""The member space: dashboard, "Modifier ma fiche", "Toujours à jour", the organisation's members."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from maps.areas import municipality_area
from maps.rendering import MAP_ASSETS, area_map, map_spec_json, point_map
from network.contact.selectors import contact_requests_for_member
from network.contact.transitions import (
    Actor,
    IllegalTransition,
    contact_request_accept,
    contact_request_decline,
)
from network.infrastructure.forms import add_errors
from network.listings.forms import OrganizationEditForm
from network.listings.schedule_forms import formset_rows, schedule_formsets
from network.listings.selectors import with_staleness
from network.listings.services import (
    StaleListingError,
    organization_mark_verified,
    organization_update,
)
from network.listings.stale import STALE_MESSAGE, stale_differences
from network.members.forms import MemberInviteForm
from network.members.models import Membership
from network.members.selectors import (
    membership_list_for_organization,
    membership_list_for_user,
    organization_get_editable,
    organization_list_editable_by,
    user_can_manage_members,
    user_is_staff,
)
from network.members.services import member_invite, member_reinvite, member_remove


def preview_map_spec(preview: dict, name: str) -> str:
    """The mini-map the public will see: the exact point, or only the commune's area."""
    if preview["exact"]:
        return map_spec_json(point_map(preview["latitude"], preview["longitude"], name))
    municipality = preview["municipality"]
    return map_spec_json(area_map(municipality_area(municipality), municipality.name_fr))


@login_required
@require_GET
def dashboard(request):
    """My organisations and how fresh each listing is."""
    memberships = membership_list_for_user(request.user)
    roles = {membership.organization_id: membership for membership in memberships}
    organizations = with_staleness(
        organization_list_editable_by(request.user).filter(pk__in=roles.keys())
    ).order_by("name", "pk")
    requests_by_organization: dict[int, list] = {}
    for contact_request in contact_requests_for_member(request.user):
        requests_by_organization.setdefault(contact_request.assigned_organization_id, []).append(
            contact_request
        )
    rows = [
        (organization, roles[organization.pk], requests_by_organization.get(organization.pk, []))
        for organization in organizations
    ]
    reminder_cutoff = timezone.now() - timedelta(days=settings.RELAIS_VERIFICATION_REMINDER_DAYS)
    return render(
        request,
        "network/member_dashboard.html",
        {
            "rows": rows,
            "is_staff": user_is_staff(request.user),
            "reminder_cutoff": reminder_cutoff,
            "reminder_days": settings.RELAIS_VERIFICATION_REMINDER_DAYS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request, slug: str):
    """ "Modifier ma fiche": every public field; "Prévisualiser" shows the public point unsaved."""
    organization = organization_get_editable(request.user, slug)
    data = request.POST if request.method == "POST" else None
    form = OrganizationEditForm(data, organization=organization)
    periods, closures = schedule_formsets(data, organization)
    schedule_valid = periods is None or (periods.is_valid() and closures.is_valid())
    preview = None
    stale = None
    if request.method == "POST" and form.is_valid() and schedule_valid:
        if "preview" in request.POST:
            preview = form.preview()
        else:
            schedule = {}
            if periods is not None:
                schedule = {
                    "opening_periods": formset_rows(periods),
                    "closures": formset_rows(closures),
                }
            try:
                organization_update(
                    organization,
                    actor=request.user,
                    # A page without the version (sent before it existed) is stale too.
                    expected_version=form.cleaned_data["version"],
                    **form.update_kwargs(),
                    **schedule,
                )
            except StaleListingError as error:
                # Someone saved in between: nothing was written. The page keeps what this
                # person typed and shows what is stored now; their next save is checked
                # against the version they are now shown.
                organization.refresh_from_db()
                form.add_error(None, STALE_MESSAGE)
                form.rebase(error.current_version)
                stale = stale_differences(form, organization, periods, closures)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Fiche enregistrée : elle est à jour sur l'annuaire."))
                return redirect("network:organization_edit", slug=organization.slug)
    if preview is None and request.method == "GET":
        preview = OrganizationEditForm(
            OrganizationEditForm.initial_for(organization), organization=organization
        )
        preview = preview.preview() if preview.is_valid() else None
    if preview is not None:
        preview["map_spec"] = preview_map_spec(preview, organization.name)
    if periods is None:  # a POST without the hours: show them as they are
        periods, closures = schedule_formsets(None, organization)
    area = form["area_served"]
    return render(
        request,
        "network/organization_edit.html",
        {
            "organization": with_staleness(organization_list_editable_by(request.user)).get(
                pk=organization.pk
            ),
            "form": form,
            "periods": periods,
            "closures": closures,
            "preview": preview,
            "stale": stale,
            "map_assets": MAP_ASSETS,
            "selected_area": [choice for choice in area if choice.data["selected"]],
            "is_staff": user_is_staff(request.user),
            "can_manage_members": user_can_manage_members(request.user, organization),
        },
    )


@login_required
@require_POST
def organization_verify(request, slug: str):
    """ "Toujours à jour": confirm the listing as it is."""
    organization = organization_get_editable(request.user, slug)
    try:
        # The edit page sends the version it shows: confirming a listing someone changed since
        # would vouch for values this person has not seen. The dashboard's button sends none.
        organization_mark_verified(
            organization, actor=request.user, expected_version=request.POST.get("version")
        )
    except StaleListingError:
        messages.error(
            request,
            _(
                "Cette fiche a été modifiée depuis que vous l'avez ouverte : relisez-la telle "
                "qu'elle est maintenant avant de confirmer qu'elle est à jour."
            ),
        )
        return redirect("network:organization_edit", slug=organization.slug)
    messages.success(
        request,
        _("Merci ! La fiche « %(name)s » est confirmée à jour.") % {"name": organization.name},
    )
    next_url = request.POST.get("next")
    if next_url == "edit":
        return redirect("network:organization_edit", slug=organization.slug)
    return redirect("network:dashboard")


@login_required
@require_http_methods(["GET", "POST"])
def organization_members(request, slug: str):
    """An organisation's members; its admins (and staff) invite editors here."""
    organization = organization_get_editable(request.user, slug)
    if not user_can_manage_members(request.user, organization):
        raise PermissionDenied(_("Seuls les administrateurs de l'organisation gèrent ses membres."))
    staff = user_is_staff(request.user)
    form = MemberInviteForm(request.POST or None, can_choose_admin=staff)
    if request.method == "POST" and form.is_valid():
        try:
            membership = member_invite(
                organization=organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Invitation envoyée à %(email)s.") % {"email": membership.user.email},
            )
            return redirect("network:organization_members", slug=organization.slug)
    return render(
        request,
        "network/membership_list.html",
        {
            "organization": organization,
            "memberships": membership_list_for_organization(organization),
            "form": form,
            "is_staff": staff,
        },
    )


def _membership_for(request, slug: str, pk: int) -> Membership:
    organization = organization_get_editable(request.user, slug)
    if not user_can_manage_members(request.user, organization):
        raise PermissionDenied(_("Seuls les administrateurs de l'organisation gèrent ses membres."))
    return get_object_or_404(
        Membership.objects.select_related("user", "organization"), pk=pk, organization=organization
    )


@login_required
@require_POST
def membership_remove(request, slug: str, pk: int):
    """Remove a member (admins remove editors; staff remove anyone)."""
    membership = _membership_for(request, slug, pk)
    member_remove(membership=membership, actor=request.user)
    messages.success(
        request,
        _("%(email)s ne fait plus partie de l'organisation.") % {"email": membership.user.email},
    )
    return redirect("network:organization_members", slug=slug)


@login_required
@require_POST
def membership_reinvite(request, slug: str, pk: int):
    """Send an invitation link again."""
    membership = _membership_for(request, slug, pk)
    try:
        member_reinvite(membership=membership, invited_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Invitation renvoyée à %(email)s.") % {"email": membership.user.email}
        )
    return redirect("network:organization_members", slug=slug)


def _member_request(request, reference: str):
    contact_request = (
        contact_requests_for_member(request.user).filter(reference=reference[:9]).first()
    )
    if contact_request is None:
        raise Http404("Demande introuvable.")
    return contact_request


@login_required
@require_POST
def request_accept(request, reference: str):
    """The organisation takes a request routed to it; the citizen is told at once."""
    contact_request = _member_request(request, reference)
    try:
        contact_request_accept(contact_request, actor=Actor(user=request.user))
    except (IllegalTransition, ValidationError):
        messages.error(request, _("Cette demande a déjà reçu une réponse."))
    else:
        messages.success(request, acceptance_message(contact_request))
    return redirect("network:dashboard")


def acceptance_message(contact_request) -> str:
    """What really happens after an acceptance: an e-mail to the person, or nobody is told."""
    values = {"reference": contact_request.reference, "phone": contact_request.phone}
    if contact_request.email:
        return (
            _(
                "Demande %(reference)s acceptée : la personne reçoit un e-mail qui lui dit "
                "que vous allez la contacter."
            )
            % values
        )
    return (
        _(
            "Demande %(reference)s acceptée. Cette personne n'a laissé qu'un numéro de téléphone : "
            "personne ne l'a prévenue, appelez-la au %(phone)s."
        )
        % values
    )


@login_required
@require_POST
def request_decline(request, reference: str):
    """The organisation gives a request back to the staff, with a reason."""
    contact_request = _member_request(request, reference)
    try:
        contact_request_decline(
            contact_request,
            actor=Actor(user=request.user),
            reason=request.POST.get("reason", "")[:2000],
        )
    except IllegalTransition:
        messages.error(request, _("Cette demande a déjà reçu une réponse."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Demande %(reference)s rendue à l'équipe de la coordination, qui va la réorienter.")
            % {"reference": contact_request.reference},
        )
    return redirect("network:dashboard")
