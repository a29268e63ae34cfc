from django.contrib import admin

from .models import DecisionRecord


@admin.register(DecisionRecord)
class DecisionRecordAdmin(admin.ModelAdmin):
    """Superusers may read a decision record here; nobody adds, changes or deletes one."""

    list_display = ["cohort", "created_at", "sha256"]
    readonly_fields = ["cohort", "content", "sha256", "created_at", "previous"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
