from django import forms
from django.contrib import admin
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from network.listings.models import (
    Activity,
    Closure,
    Need,
    OpeningPeriod,
    Organization,
    OrganizationChange,
)
from network.listings.services import (
    StaleListingError,
    organization_lock,
    organization_record_change,
    organization_snapshot,
    organization_version,
)
from network.members.models import Membership
from network.moderation.models import ErrorReport, OrganizationProposal
from network.resources.models import Resource


class OpeningPeriodInline(admin.TabularInline):
    model = OpeningPeriod
    extra = 1


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


ORGANIZATION_FIELDSETS = [
    (
        None,
        {
            "fields": [
                "name",
                "slug",
                "kind",
                "status",
                "is_example",
                "description",
                "temporary_message",
                "accepting_requests",
            ]
        },
    ),
    (_("Activités et besoins"), {"fields": ["activities", "needs", "languages", "schedule"]}),
    (
        _("Lieu"),
        {
            "fields": [
                "address",
                "postal_code",
                "municipality",
                "address_visibility",
                "latitude",
                "longitude",
                "area_served",
                "public_latitude",
                "public_longitude",
            ]
        },
    ),
    (_("Contact"), {"fields": ["email", "phone", "website", "routing_email"]}),
    (
        _("Engagements des communes"),
        {"fields": ["hospitable_commune", "facilities"], "classes": ["collapse"]},
    ),
    (
        _("Suivi"),
        {"fields": ["external_id", "verified_at", "created_at", "updated_at", "version"]},
    ),
]
# Shown, not edited; the version is the form's own field, not a column.
_NOT_EDITED = {"created_at", "updated_at", "public_latitude", "public_longitude", "version"}


def _shown(value) -> str:
    if hasattr(value, "__iter__") and not isinstance(value, str):
        return ", ".join(str(item) for item in value) or "—"
    return "—" if value in (None, "") else str(value)


class OrganizationAdminForm(forms.ModelForm):
    """The admin's form of a listing, checked against the version it was opened at."""

    # The listing's version when the page was shown; a save made since makes this one stale.
    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    class Meta:
        model = Organization
        fields = [
            name
            for _title, options in ORGANIZATION_FIELDSETS
            for name in options["fields"]
            if name not in _NOT_EDITED
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("version", organization_version(self.instance))
        self.before = None

    def clean_verified_at(self):
        # The split date/time widget shows no microseconds: an untouched date comes back a few
        # microseconds earlier, which would be recorded as a change of verified_at.
        value = self.cleaned_data.get("verified_at")
        stored = self.instance.verified_at if self.instance.pk else None
        if value is not None and stored is not None and value == stored.replace(microsecond=0):
            return stored
        return value

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        try:
            # The admin's change view runs in one transaction: the row stays locked until the
            # save is over, so no one can write between this check and the save.
            with transaction.atomic():
                current = organization_lock(self.instance.pk, cleaned.get("version") or "")
        except StaleListingError as error:
            self._refuse_stale(error)
            return cleaned
        # The history's "old" values: the database's, locked, before this form writes.
        self.before = organization_snapshot(current)
        return cleaned

    def _refuse_stale(self, error: StaleListingError) -> None:
        """Refuse the save, keep what was typed, and say what is stored now where it differs."""
        current = Organization.objects.get(pk=self.instance.pk)
        stored = model_to_dict(current, fields=list(self.fields))
        differing = []
        for name, field in self.fields.items():
            if name == "version" or name not in stored:
                continue
            initial = stored[name]
            if hasattr(initial, "microsecond") and not field.widget.supports_microseconds:
                initial = initial.replace(microsecond=0)
            if field.has_changed(initial, self[name].data):
                differing.append(f"{field.label} : {_shown(stored[name])}")
        message = gettext(
            "Cette fiche a été modifiée par quelqu'un d'autre depuis que vous l'avez ouverte : "
            "rien n'est enregistré et votre saisie est conservée."
        )
        if differing:
            message += " " + gettext(
                "Enregistré maintenant, là où votre saisie diffère : %(fields)s. Enregistrer à "
                "nouveau remplacera ces valeurs par votre saisie."
            ) % {"fields": " ; ".join(differing)}
        self.add_error(None, message)
        # The next save is checked against the version now described.
        self.data = self.data.copy()
        self.data["version"] = error.current_version


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    form = OrganizationAdminForm
    inlines = [OpeningPeriodInline, ClosureInline]
    list_display = [
        "name",
        "kind",
        "municipality",
        "province",
        "status",
        "accepting_requests",
        "is_example",
        "updated_at",
    ]
    list_filter = [
        "kind",
        "municipality__province",
        "status",
        "activities",
        "needs",
        "accepting_requests",
        "is_example",
    ]
    search_fields = [
        "name",
        "slug",
        "description",
        "municipality__name_fr",
        "postal_code",
        "external_id",
    ]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality", "area_served"]
    filter_horizontal = ["activities", "needs"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at", "public_latitude", "public_longitude"]
    date_hierarchy = "updated_at"
    list_per_page = 50
    fieldsets = ORGANIZATION_FIELDSETS

    def save_model(self, request, obj, form, change):
        # A save that changes nothing writes nothing: the version stays, so nobody's form
        # opened earlier is refused because of it (the hours' inlines save themselves).
        if change and not form.has_changed():
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and form.before is not None:
            organization_record_change(form.instance, form.before, request.user)

    @admin.display(description=_("province"), ordering="municipality__province")
    def province(self, organization):
        return organization.municipality.get_province_display()


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["slug", "label", "position"]


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["slug", "label", "position"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__username", "organization__name"]
    autocomplete_fields = ["user", "organization"]
    list_select_related = ["user", "organization"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "language", "is_published", "is_example", "updated_at"]
    list_filter = ["category", "language", "is_published"]
    search_fields = ["title", "description", "url"]
    list_editable = ["is_published"]


@admin.register(OrganizationChange)
class OrganizationChangeAdmin(admin.ModelAdmin):
    list_display = ["organization", "kind", "actor", "created_at"]
    list_filter = ["kind"]
    search_fields = ["organization__name", "actor__email"]
    list_select_related = ["organization", "actor"]
    readonly_fields = ["organization", "actor", "kind", "changes", "reverts", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OrganizationProposal)
class OrganizationProposalAdmin(admin.ModelAdmin):
    list_display = ["organization", "proposer_email", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["organization__name", "proposer_email", "proposer_name"]
    list_select_related = ["organization"]
    readonly_fields = ["organization", "decided_by", "decided_at", "created_at"]


@admin.register(ErrorReport)
class ErrorReportAdmin(admin.ModelAdmin):
    list_display = ["organization", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["organization__name", "message", "reporter_email"]
    list_select_related = ["organization"]
    readonly_fields = ["organization", "decided_by", "decided_at", "created_at"]
