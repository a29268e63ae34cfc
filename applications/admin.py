from django.contrib import admin

from .models import Application, Extension


class ExtensionInline(admin.TabularInline):
    """Grants are history, granted from the staff workspace: read-only here."""

    model = Extension
    extra = 0
    fields = ["closes_at", "reason", "granted_by", "granted_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """For superusers only, read-only: program staff read, filter, export and extend
    applications in the staff workspace (/staff/), whose statuses change through services."""

    list_display = ["startup", "cohort", "status", "submitted_at", "updated_at"]
    list_filter = ["status", "cohort"]
    list_select_related = ["startup", "cohort__program"]
    search_fields = ["startup__name"]
    inlines = [ExtensionInline]
    readonly_fields = ["startup", "cohort", "status", "created_at", "submitted_at",
                       "updated_at", "privacy_notice_version", "privacy_accepted_at",
                       "pitch_deck_pages", "anonymised_at"]  # fmt: skip
    fields = readonly_fields

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
