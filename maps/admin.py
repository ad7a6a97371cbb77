from django.contrib import admin

from maps.models import Municipality, PostalCode


class PostalCodeInline(admin.TabularInline):
    model = PostalCode
    extra = 0
    fields = ["code", "locality", "latitude", "longitude"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "name_nl", "refnis", "province"]
    list_filter = ["province"]
    search_fields = ["name_fr", "name_nl", "search_name", "refnis", "postal_codes__code"]
    inlines = [PostalCodeInline]


@admin.register(PostalCode)
class PostalCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "locality", "municipality"]
    list_filter = ["municipality__province"]
    search_fields = ["code", "locality", "municipality__name_fr"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]
