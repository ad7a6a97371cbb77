"""Protections of public forms: a honeypot, a minimum fill time and a rate limit per address."""

import time

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.signing import BadSignature, TimestampSigner
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

_SIGNER = TimestampSigner(salt="directory.antispam.started")
# A form left open longer than this must be reloaded (the signed start time expires).
MAX_FORM_AGE_SECONDS = 24 * 3600


class SpamSuspected(Exception):
    """The submission looks automated: answer as if it worked, keep nothing."""


def signed_start() -> str:
    """The value of the hidden "started" field: when the form was displayed, signed."""
    return _SIGNER.sign(str(int(time.time())))


class ProtectedForm(forms.Form):
    """A public form with a honeypot field and a signed start time."""

    # Hidden from people by CSS and aria-hidden; bots fill every field they find.
    website_confirm = forms.CharField(required=False, label=_("Ne remplissez pas ce champ"))
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started"].initial = signed_start()

    def is_spam(self) -> bool:
        """Whether the honeypot is filled (call after is_valid)."""
        return bool(self.data.get("website_confirm"))

    def clean_started(self):
        value = self.cleaned_data.get("started") or ""
        try:
            started = int(_SIGNER.unsign(value, max_age=MAX_FORM_AGE_SECONDS))
        except (BadSignature, ValueError):
            raise ValidationError(
                _("Le formulaire a expiré. Rechargez la page et envoyez-le à nouveau."),
                code="expired",
            ) from None
        if time.time() - started < settings.RELAIS_FORM_MIN_SECONDS:
            raise ValidationError(
                _("Envoyé trop vite : relisez le formulaire puis envoyez-le à nouveau."),
                code="too_fast",
            )
        return value


def client_address(request: HttpRequest) -> str:
    """The client's IP address as the server sees it (nginx sets REMOTE_ADDR through the proxy)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limited(
    scope: str, key: str, limit: int | None = None, window_seconds: int = 3600
) -> bool:
    """Count one submission for (scope, key); True when the limit for the window is exceeded."""
    limit = limit if limit is not None else settings.RELAIS_PUBLIC_FORM_LIMIT_PER_HOUR
    cache_key = f"relais:rate:{scope}:{key}"
    cache.add(cache_key, 0, window_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, window_seconds)
        count = 1
    return count > limit
