"""Signed answer links: an organisation accepts or declines a request without logging in.

GET only shows a confirmation page (mail scanners open links); POST acts, once.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from network.contact.links import LinkProblem, answer_link_resolve
from network.contact.transitions import (
    Actor,
    IllegalTransition,
    contact_request_accept,
    contact_request_decline,
)

PROBLEM_STATUS = {"tampered": 400, "expired": 410, "used": 409, "other": 409, "closed": 409}


def _problem(request, problem: LinkProblem):
    return render(
        request,
        "network/contactrequest_answer_problem.html",
        {"problem": problem.code, "contact_request": problem.request},
        status=PROBLEM_STATUS.get(problem.code, 400),
    )


def _actor(context) -> Actor:
    return Actor(label=_("lien e-mail de « %(name)s »") % {"name": context.link.organization.name})


@require_http_methods(["GET", "POST"])
def answer_accept(request, token: str):
    try:
        context = answer_link_resolve(token)
    except LinkProblem as problem:
        return _problem(request, problem)
    if request.method == "POST":
        try:
            contact_request_accept(context.request, actor=_actor(context), link=context.link)
        except (IllegalTransition, ValidationError):
            return _problem(request, LinkProblem("used", context.request))
        return render(
            request,
            "network/contactrequest_answer_done.html",
            {"accepted": True, "contact_request": context.request},
        )
    return render(
        request,
        "network/contactrequest_answer.html",
        {
            "action": "accept",
            "contact_request": context.request,
            "organization": context.link.organization,
        },
    )


@require_http_methods(["GET", "POST"])
def answer_decline(request, token: str):
    try:
        context = answer_link_resolve(token)
    except LinkProblem as problem:
        return _problem(request, problem)
    error = ""
    reason = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")[:1000]
        try:
            contact_request_decline(
                context.request, actor=_actor(context), reason=reason, link=context.link
            )
        except IllegalTransition:
            return _problem(request, LinkProblem("used", context.request))
        except ValidationError as invalid:
            if not hasattr(invalid, "error_dict"):  # the link was used a moment ago
                return _problem(request, LinkProblem("used", context.request))
            error = " ".join(invalid.messages)
        else:
            return render(
                request,
                "network/contactrequest_answer_done.html",
                {"accepted": False, "contact_request": context.request},
            )
    return render(
        request,
        "network/contactrequest_answer.html",
        {
            "action": "decline",
            "contact_request": context.request,
            "organization": context.link.organization,
            "error": error,
            "reason": reason,
        },
        status=400 if error else 200,
    )
