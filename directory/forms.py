"""Public contact forms. The HTML pages and the API validate with the same form class."""

import re
import secrets
import time
from hashlib import sha256

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from directory.filters import PlaceField
from network.contact.models import ContactRequest
from network.contact.submission import contact_request_submit, submission_key_for
from network.listings.models import Organization

FORM_TOKEN_SALT = "relais.contact.form"
_PHONE = re.compile(r"^\+?[0-9 ./()-]{6,30}$")


def issue_form_token() -> str:
    """A signed, timestamped, one-time value sent back by the form: fill time, no replays."""
    return signing.dumps({"t": time.time(), "n": secrets.token_urlsafe(12)}, salt=FORM_TOKEN_SALT)


def client_ip(meta: dict) -> str:
    """The client's IP, from the configured proxy header or the socket."""
    header = settings.RELAIS_CLIENT_IP_HEADER
    value = meta.get(header, "") if header else ""
    return (value.split(",")[0].strip() or meta.get("REMOTE_ADDR", "")) or "unknown"


def busy_message() -> str:
    """What a citizen reads when their request could not be recorded yet (database busy)."""
    return gettext(
        "Le site est très sollicité en ce moment et votre demande n'a pas encore été "
        "enregistrée. Renvoyez-la dans quelques secondes."
    )


class RateLimited(Exception):
    """Too many submissions from one IP or one e-mail address in the window."""


def _hit(key: str, limit: int) -> bool:
    """Count one submission under `key`; False past the limit (shared cache, atomic incr)."""
    window = settings.RELAIS_CONTACT_RATE_WINDOW_SECONDS
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= limit


def check_rate_limits(ip: str, email: str) -> None:
    """Raise RateLimited when this IP or e-mail address has submitted too often."""
    # Keys are hashed so the cache holds no address in clear.
    ip_key = "contact-rate:ip:" + sha256(ip.encode()).hexdigest()[:32]
    if not _hit(ip_key, settings.RELAIS_CONTACT_RATE_PER_IP):
        raise RateLimited
    if email:
        email_key = "contact-rate:email:" + sha256(email.lower().encode()).hexdigest()[:32]
        if not _hit(email_key, settings.RELAIS_CONTACT_RATE_PER_EMAIL):
            raise RateLimited


class ContactRequestForm(forms.Form):
    """What a citizen tells: who, where, what, when; with consent and anti-spam checks."""

    name = forms.CharField(
        label=_("Votre nom ou prénom"),
        max_length=100,
        error_messages={
            "required": _("Indiquez votre nom ou au moins votre prénom."),
            "max_length": _("Le nom est trop long : %(limit_value)d caractères au maximum."),
        },
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Cette adresse e-mail n'est pas valide.")},
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        required=False,
        max_length=30,
        error_messages={
            "max_length": _("Le numéro est trop long : %(limit_value)d caractères au maximum.")
        },
    )
    place = PlaceField(
        label=_("Où êtes-vous ?"),
        max_length=100,
        help_text=_("Code postal ou commune, par exemple 5000 ou Gembloux."),
        error_messages={"required": _("Indiquez votre code postal ou votre commune.")},
    )
    intent = forms.ChoiceField(
        label=_("Vous souhaitez…"),
        choices=ContactRequest.Intent.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez ce que vous souhaitez faire."),
            "invalid_choice": _("Choix inconnu : « %(value)s »."),
        },
    )
    availability = forms.CharField(
        label=_("Vos disponibilités"),
        required=False,
        max_length=300,
        help_text=_("Par exemple : les soirs de semaine, un week-end par mois."),
        error_messages={"max_length": _("Trop long : %(limit_value)d caractères au maximum.")},
    )
    message = forms.CharField(
        label=_("Votre message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": _("Le message est trop long : %(limit_value)d caractères au maximum.")
        },
    )
    consent = forms.BooleanField(
        label=_("J'accepte que mes coordonnées soient transmises pour traiter ma demande."),
        error_messages={
            "required": _("Votre accord est nécessaire pour transmettre votre demande.")
        },
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled in by naive robots.
    site_web = forms.CharField(label=_("Ne pas remplir ce champ"), required=False, max_length=200)
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=300)

    def __init__(self, *args, target: Organization | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target
        # Suggestions of communes and postal codes while typing (static/relais/autocomplete.js).
        self.fields["place"].widget.attrs.update(
            {
                "list": "place-suggestions",
                "autocomplete": "off",
                "data-autocomplete-url": reverse("directory:place_autocomplete"),
            }
        )
        if target is not None:
            # The chosen collective's page already says where; the place only helps staff re-route.
            self.fields["place"].required = False
        self.token_payload: dict | None = None
        self.replayed = False

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not _PHONE.match(phone):
            raise ValidationError(
                _("Ce numéro de téléphone n'est pas valide (chiffres, espaces et + seulement).")
            )
        return phone

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_site_web(self) -> str:
        if self.cleaned_data["site_web"]:
            raise ValidationError(
                _(
                    "Votre demande n'a pas pu être envoyée : "
                    "un champ qui doit rester vide a été rempli."
                ),
                code="honeypot",
            )
        return ""

    def clean_form_token(self) -> str:
        token = self.cleaned_data["form_token"]
        expired = _(
            "Ce formulaire a expiré ou n'est pas valide : "
            "vérifiez vos informations et envoyez-le à nouveau."
        )
        try:
            payload = signing.loads(
                token, salt=FORM_TOKEN_SALT, max_age=settings.RELAIS_CONTACT_FORM_MAX_AGE_SECONDS
            )
            elapsed = time.time() - float(payload["t"])
            nonce = str(payload["n"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise ValidationError(expired, code="token") from None
        if elapsed < settings.RELAIS_CONTACT_MIN_FILL_SECONDS:
            raise ValidationError(
                _("Vous avez été très rapide ! Relisez votre demande, puis envoyez-la à nouveau."),
                code="too_fast",
            )
        self.token_payload = payload
        return nonce

    def clean(self):
        cleaned = super().clean()
        no_contact = not cleaned.get("email") and not cleaned.get("phone")
        if no_contact and not self.has_error("email") and not self.has_error("phone"):
            self.add_error(
                "email",
                _(
                    "Indiquez une adresse e-mail ou un numéro de téléphone "
                    "pour qu'on puisse vous répondre."
                ),
            )
        return cleaned

    def submit(self, *, source: str, ip: str) -> ContactRequest:
        """Apply the rate limits and hand the request to the service. Call after is_valid()."""
        data = self.cleaned_data
        key = submission_key_for(data["form_token"])
        existing = ContactRequest.objects.filter(submission_key=key).first()
        if existing is not None:
            self.replayed = True
            return existing  # a double click: the same request, not a second one
        check_rate_limits(ip, data.get("email", ""))
        return contact_request_submit(
            source=source,
            intent=data["intent"],
            name=data["name"],
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            place=data.get("place"),
            availability=data.get("availability", "").strip(),
            message=data.get("message", "").strip(),
            consent=data["consent"],
            target=self.target,
            submission_key=key,
        )
