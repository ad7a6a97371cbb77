"""The one gate of the staff pages: every URL of network/staff/urls.py goes through it.

An anonymous visitor is sent to the member login page (settings.LOGIN_URL), then back; a
logged-in member who is not staff gets the 403 page, in the language they read the site in.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _

from network.members.selectors import user_is_staff


def staff_required(view: Callable) -> Callable:
    """Let staff through; send anonymous visitors to the login page; refuse others with a 403."""

    @wraps(view)
    def gated(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user_is_staff(request.user):
            raise PermissionDenied(_("Réservé à l'équipe de la coordination."))
        return view(request, *args, **kwargs)

    return gated


def staff_only(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """Put every view of `patterns` (and of included groups) behind `staff_required`.

    Gating the URL group rather than each view means a staff page added to the list cannot
    forget its gate.
    """
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            staff_only(pattern.url_patterns)
        else:
            pattern.callback = staff_required(pattern.callback)
    return patterns
