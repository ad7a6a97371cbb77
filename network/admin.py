from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from network.models import (
    Activity,
    Closure,
    ErrorReport,
    Membership,
    Need,
    OpeningPeriod,
    Organization,
    OrganizationChange,
    OrganizationProposal,
    Resource,
)
from network.services import organization_record_change, organization_snapshot


class OpeningPeriodInline(admin.TabularInline):
    model = OpeningPeriod
    extra = 1


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
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
    fieldsets = [
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
        (_("Suivi"), {"fields": ["external_id", "verified_at", "created_at", "updated_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        # The history needs the values before the form's changes, relations included.
        if change:
            request._organization_before = organization_snapshot(
                Organization.objects.get(pk=obj.pk)
            )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and hasattr(request, "_organization_before"):
            organization_record_change(form.instance, request._organization_before, request.user)

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
