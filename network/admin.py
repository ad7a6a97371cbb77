from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from network.models import (
    Activity,
    Closure,
    Membership,
    Need,
    OpeningPeriod,
    Organization,
    Resource,
)


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
