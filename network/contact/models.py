"""Requests from citizens ("contact a collective"), their history, staff notes and answer links."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maps.models import Municipality
from network.listings.models import Organization

# No 0/O, 1/I/L: a reference is read aloud on the phone and typed from a printed e-mail.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    """A short, non-guessable public reference such as "K7QM-2XPA" (about 40 bits)."""
    raw = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def new_nonce() -> str:
    """A random value that makes a signed link unique and lets the database mark it used."""
    return secrets.token_urlsafe(16)


class ContactRequest(models.Model):
    """A citizen's request, from submission to closing. Personal fields are blanked on purge."""

    class Status(models.TextChoices):
        NEW = "new", _("Nouvelle (à traiter par l'équipe)")
        ROUTED = "routed", _("Transmise, en attente de réponse")
        ACCEPTED = "accepted", _("Acceptée")
        DECLINED = "declined", _("Refusée")
        EXPIRED = "expired", _("Sans réponse (expirée)")
        CLOSED = "closed", _("Clôturée")

    class Intent(models.TextChoices):
        VOLUNTEER = "volunteer", _("Donner du temps comme bénévole")
        HOST = "host", _("Héberger")
        DRIVE = "drive", _("Conduire (trajets)")
        DONATE = "donate", _("Faire un don (vêtements, nourriture, hygiène, argent)")
        INTERPRET = "interpret", _("Interpréter ou traduire")
        NEED_HELP = "need-help", _("J'ai besoin d'aide")
        OTHER = "other", _("Autre chose")

    class Outcome(models.TextChoices):
        IN_CONTACT = "in-contact", _("Mis en contact")
        WITHDRAWN = "withdrawn", _("Retirée par la personne")
        DUPLICATE = "duplicate", _("Doublon")
        SPAM = "spam", _("Indésirable (spam)")
        NO_MATCH = "no-match", _("Aucun collectif disponible")

    class Source(models.TextChoices):
        ORGANIZATION_FORM = "organization-form", _("Formulaire d'une fiche")
        GENERAL_FORM = "general-form", _("Formulaire « Je veux aider »")
        API = "api", _("API")

    reference = models.CharField(
        _("référence"), max_length=9, unique=True, default=new_reference, editable=False
    )
    # A hash of the form's one-time token: a double-clicked or replayed submission finds this row.
    submission_key = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    source = models.CharField(_("origine"), max_length=20, choices=Source.choices)

    # Personal data: visible to staff and to the assigned organisation only; blanked on purge.
    name = models.CharField(_("nom"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    availability = models.CharField(_("disponibilités"), max_length=300, blank=True)
    message = models.TextField(_("message"), max_length=2000, blank=True)

    # Where: kept at the commune level after purge (anonymous statistics).
    place_label = models.CharField(_("lieu indiqué"), max_length=120, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_requests",
        verbose_name=_("commune"),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    intent = models.CharField(_("intention"), max_length=20, choices=Intent.choices)
    consent_at = models.DateTimeField(_("consentement donné le"))

    target_organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="targeted_requests",
        verbose_name=_("organisation choisie"),
    )
    assigned_organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_requests",
        verbose_name=_("organisation assignée"),
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.NEW, db_index=True
    )
    outcome = models.CharField(_("issue"), max_length=12, choices=Outcome.choices, blank=True)
    routing_reason = models.CharField(_("raison du routage"), max_length=300, blank=True)
    # Bumped on every routing: links sent for an earlier assignment stop working.
    assignment = models.PositiveIntegerField(default=0, editable=False)
    withdraw_nonce = models.CharField(max_length=32, default=new_nonce, editable=False)

    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)
    routed_at = models.DateTimeField(_("transmise le"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    answered_at = models.DateTimeField(_("réponse le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True, db_index=True)
    personal_data_erased_at = models.DateTimeField(
        _("données personnelles effacées le"), null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("demande de contact")
        verbose_name_plural = _("demandes de contact")
        indexes = [models.Index(fields=["status", "routed_at"], name="contact_status_routed")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed") | ~models.Q(outcome=""),
                name="closed_request_has_outcome",
            )
        ]

    def __str__(self) -> str:
        # The reference only: a request's string form may end up in logs.
        return self.reference

    @property
    def is_open(self) -> bool:
        """Whether the request still waits for something (not closed)."""
        return self.status != self.Status.CLOSED


class ContactRequestEvent(models.Model):
    """One line of a request's history: who, when, from -> to, why."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("Changement de statut")
        # Automatic routing found nobody: the request stays "new", which is no status change.
        UNROUTED = "unrouted", _("Aucun collectif trouvé automatiquement")
        # Sent to another organisation while waiting for an answer: "routed" stays "routed".
        REROUTED = "rerouted", _("Transmise à une autre organisation")
        REMINDER = "reminder", _("Rappel envoyé")
        EXPORT = "export", _("Export des données personnelles")
        ERASURE = "erasure", _("Effacement des données personnelles")
        # Older same-status rows recorded as transitions (other than the routing ones above).
        REMARK = "remark", _("Remarque")

    request = models.ForeignKey(ContactRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.TRANSITION)
    created_at = models.DateTimeField(_("le"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    # Who acted when there is no account: "système", "lien e-mail de …", "la personne".
    actor_label = models.CharField(_("acteur"), max_length=200, blank=True)
    from_status = models.CharField(
        _("de"), max_length=10, choices=ContactRequest.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("vers"), max_length=10, choices=ContactRequest.Status.choices, blank=True
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    reason = models.TextField(_("pourquoi"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("événement d'une demande")
        verbose_name_plural = _("événements des demandes")
        constraints = [
            # "Nouvelle -> Nouvelle" is not a change: such an event is of another kind.
            models.CheckConstraint(
                condition=~models.Q(kind="transition")
                | ~models.Q(from_status=models.F("to_status")),
                name="transition_changes_status",
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status} -> {self.to_status}"

    @property
    def is_status_change(self) -> bool:
        """Whether the history shows this event as "from -> to"."""
        return self.kind == self.Kind.TRANSITION and self.from_status != self.to_status


class ContactRequestNote(models.Model):
    """An internal note of the staff on a request; never shown outside the triage inbox."""

    request = models.ForeignKey(ContactRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("note interne")
        verbose_name_plural = _("notes internes")

    def __str__(self) -> str:
        return f"note {self.pk} on {self.request_id}"


class ContactAnswerLink(models.Model):
    """The database half of a signed accept/decline link: the assignment it answers, if used."""

    request = models.ForeignKey(
        ContactRequest, on_delete=models.CASCADE, related_name="answer_links"
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    assignment = models.PositiveIntegerField()
    nonce = models.CharField(max_length=32, unique=True, default=new_nonce)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lien de réponse")
        verbose_name_plural = _("liens de réponse")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "assignment"], name="one_answer_link_per_assignment"
            )
        ]

    def __str__(self) -> str:
        return f"link {self.pk} for {self.request_id}/{self.assignment}"
