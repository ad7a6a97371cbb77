"""The staff triage inbox: queues, one request with ranked suggestions, history, notes, privacy."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from network.contact.models import ContactRequest
from network.contact.personal_data import (
    contact_request_erase,
    personal_data_erase,
    personal_data_export,
)
from network.contact.routing import (
    routing_candidates,
    routing_pick_label,
    routing_pick_resolve,
    routing_pick_suggestions,
)
from network.contact.selectors import (
    QUEUES,
    contact_request_get_for_staff,
    contact_request_queue,
    contact_request_queue_counts,
    reference_normalize,
)
from network.contact.transitions import (
    Actor,
    IllegalTransition,
    allowed_actions,
    contact_request_add_note,
    contact_request_close,
    contact_request_route,
)
from network.outbox.selectors import undelivered_email_count
from network.staff.forms import RequestCloseForm, RequestRouteForm

QUEUE_LABELS = {
    "new": gettext_lazy("Nouvelles"),
    "declined": gettext_lazy("Refusées"),
    "expired": gettext_lazy("Expirées"),
    "overdue": gettext_lazy("En retard"),
    "open": gettext_lazy("Toutes les ouvertes"),
    "all": gettext_lazy("Toutes"),
}


def _staff(request) -> Actor:
    return Actor(user=request.user)


def _get(reference: str) -> ContactRequest:
    try:
        return contact_request_get_for_staff(reference)
    except ContactRequest.DoesNotExist:
        raise Http404 from None


@require_GET
def inbox(request):
    queue = request.GET.get("file", "new")
    if queue not in QUEUE_LABELS:
        queue = "new"
    typed = request.GET.get("ref", "").strip()[:40]
    if typed:
        reference = reference_normalize(typed)
        if ContactRequest.objects.filter(reference=reference).exists():
            return redirect("network:inbox_request", reference=reference)
        messages.error(
            request, _("Aucune demande ne porte la référence « %(ref)s ».") % {"ref": typed}
        )
    page = Paginator(contact_request_queue(queue), 50).get_page(request.GET.get("page"))
    counts = contact_request_queue_counts()
    tabs = [(name, QUEUE_LABELS[name], counts.get(name)) for name in (*QUEUES, "open", "all")]
    return render(
        request,
        "network/contactrequest_inbox.html",
        {
            "queue": queue,
            "queue_label": QUEUE_LABELS[queue],
            "tabs": tabs,
            "page": page,
            "undelivered": undelivered_email_count(),
        },
    )


def _detail(
    request,
    contact_request: ContactRequest,
    *,
    route_form: RequestRouteForm | None = None,
    close_form: RequestCloseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The triage page of one request; it offers only what the state machine allows."""
    allowed = allowed_actions(contact_request)
    suggestions = []
    widened = False
    if "route" in allowed:
        # Organisations that already had this request are left out: they declined or let it expire.
        tried = set(contact_request.answer_links.values_list("organization_id", flat=True))
        suggestions = routing_candidates(contact_request, exclude_ids=tried, limit=10)
        if not suggestions:
            # Nothing in the usual radius: staff still get the nearest matches, further away.
            widened = True
            suggestions = routing_candidates(
                contact_request,
                exclude_ids=tried,
                limit=10,
                radius_km=settings.RELAIS_MAX_RADIUS_KM,
            )
    return render(
        request,
        "network/contactrequest_detail.html",
        {
            "contact_request": contact_request,
            "allowed": allowed,
            "suggestions": suggestions,
            "widened": widened,
            "usual_radius": f"{settings.RELAIS_CONTACT_ROUTING_RADIUS_KM:g}",
            "max_radius": settings.RELAIS_MAX_RADIUS_KM,
            "events": contact_request.events.select_related("actor", "organization"),
            "notes": contact_request.notes.select_related("author"),
            "route_form": route_form or RequestRouteForm(initial={"manual": True}),
            "close_form": close_form or RequestCloseForm(),
        },
        status=status,
    )


@require_GET
def request_detail(request, reference: str):
    return _detail(request, _get(reference))


def _act(request, reference: str, action) -> HttpResponse:
    contact_request = _get(reference)
    try:
        message = action(contact_request)
    except IllegalTransition as illegal:
        messages.error(request, str(illegal))
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
    else:
        messages.success(request, message)
    return redirect("network:inbox_request", reference=contact_request.reference)


def _refuse(request, contact_request: ContactRequest, action: str) -> HttpResponse | None:
    """A forged or stale POST of an action the status does not allow: say so, change nothing."""
    if action in allowed_actions(contact_request):
        return None
    messages.error(request, str(IllegalTransition(contact_request, action)))
    return redirect("network:inbox_request", reference=contact_request.reference)


@require_POST
def request_route(request, reference: str):
    """One-click routing to a suggestion, or a manual choice with the organisation picker."""
    contact_request = _get(reference)
    refused = _refuse(request, contact_request, "route")
    if refused:
        return refused
    form = RequestRouteForm(request.POST)
    if not form.is_valid():
        return _detail(request, contact_request, route_form=form, status=400)
    wanted = form.cleaned_data["organization"]
    matches = routing_pick_resolve(wanted)
    if len(matches) != 1:
        if matches:
            error = _(
                "« %(value)s » désigne plusieurs organisations publiées (%(names)s) : "
                "choisissez-en une dans la liste, avec sa commune."
            ) % {"value": wanted, "names": ", ".join(routing_pick_label(m) for m in matches)}
        else:
            error = _(
                "Aucune organisation publiée ne correspond à « %(value)s ». Tapez une partie de "
                "son nom ou de sa commune, puis choisissez-la dans la liste."
            ) % {"value": wanted}
        form.add_error("organization", error)
        return _detail(request, contact_request, route_form=form, status=400)
    organization = matches[0]
    reason = _("choix manuel de l'équipe") if form.cleaned_data["manual"] else ""
    try:
        contact_request_route(contact_request, organization, actor=_staff(request), reason=reason)
    except IllegalTransition as illegal:
        messages.error(request, str(illegal))
    except ValidationError as invalid:
        form.add_error("organization", invalid.messages)
        return _detail(request, contact_request, route_form=form, status=400)
    else:
        messages.success(
            request, _("Demande transmise à « %(name)s ».") % {"name": organization.name}
        )
    return redirect("network:inbox_request", reference=contact_request.reference)


@require_POST
def request_close(request, reference: str):
    """Close with an outcome that staff chose: there is no default outcome."""
    contact_request = _get(reference)
    refused = _refuse(request, contact_request, "close")
    if refused:
        return refused
    form = RequestCloseForm(request.POST)
    if not form.is_valid():
        return _detail(request, contact_request, close_form=form, status=400)
    try:
        contact_request_close(
            contact_request,
            outcome=form.cleaned_data["outcome"],
            actor=_staff(request),
            reason=form.cleaned_data["reason"],
        )
    except IllegalTransition as illegal:
        messages.error(request, str(illegal))
    except ValidationError as invalid:
        form.add_error(None, invalid.messages)
        return _detail(request, contact_request, close_form=form, status=400)
    else:
        messages.success(request, _("Demande clôturée."))
    return redirect("network:inbox_request", reference=contact_request.reference)


@require_GET
def organization_autocomplete(request):
    """Published organisations for the manual routing picker (JSON list of {value, label})."""
    results = []
    for organization in routing_pick_suggestions(request.GET.get("q", "")[:100]):
        label = organization.get_kind_display()
        if not organization.accepting_requests:
            label = _("%(kind)s · ne prend pas de demandes") % {"kind": label}
        results.append({"value": routing_pick_label(organization), "label": str(label)})
    return JsonResponse({"results": results})


@require_POST
def request_note(request, reference: str):
    def action(contact_request):
        contact_request_add_note(
            contact_request, author=request.user, text=request.POST.get("text", "")[:2000]
        )
        return _("Note ajoutée.")

    return _act(request, reference, action)


@require_POST
def request_erase(request, reference: str):
    def action(contact_request):
        if request.POST.get("confirm") != "yes":
            raise ValidationError(_("Cochez la case de confirmation pour effacer les données."))
        contact_request_erase(contact_request, actor=_staff(request))
        return _("Données personnelles effacées.")

    return _act(request, reference, action)


def personal_data(request):
    """Export (JSON) or erase everything held about one person, found by e-mail address."""
    email = (request.POST.get("email") or request.GET.get("email") or "").strip()[:254]
    if request.method == "POST":
        if request.POST.get("action") == "export":
            data = personal_data_export(email, actor=_staff(request))
            response = HttpResponse(
                json.dumps(data, ensure_ascii=False, indent=2),
                content_type="application/json; charset=utf-8",
            )
            stamp = timezone.now().strftime("%Y%m%d")
            response["Content-Disposition"] = f'attachment; filename="relais-donnees-{stamp}.json"'
            return response
        if request.POST.get("action") == "erase":
            if request.POST.get("confirm") != "yes":
                messages.error(
                    request, _("Cochez la case de confirmation pour effacer les données.")
                )
            else:
                count = personal_data_erase(email, actor=_staff(request))
                messages.success(
                    request, _("Données effacées pour %(count)s demande(s).") % {"count": count}
                )
                return redirect("network:inbox_personal_data")
    requests = (
        ContactRequest.objects.filter(
            email__iexact=email, personal_data_erased_at__isnull=True
        ).order_by("-created_at")
        if email
        else ContactRequest.objects.none()
    )
    return render(
        request, "network/contactrequest_personal_data.html", {"email": email, "requests": requests}
    )
