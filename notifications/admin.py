from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import services
from .models import OutgoingEmail

_BODY_FIELDS = ("body_text", "body_html")


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The whole outbox, read-only, for superusers: they watch it, release drafts and resend
    what failed. Program managers see their cohorts' emails on a staff page instead, since
    this list spans every program."""

    list_display = [
        "id",
        "created_at",
        "kind",
        "to_address",
        "subject",
        "language",
        "state",
        "attempts",
        "sent_at",
    ]
    list_filter = ["state", "kind", "language"]
    search_fields = ["to_address", "subject", "idempotency_key"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    actions = ["release_drafts", "resend"]
    fields = [
        "kind",
        "state",
        "to_address",
        "recipient",
        "cohort_id",
        "from_address",
        "subject",
        "language",
        "idempotency_key",
        "message_id",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "send_before",
        "sending_since",
        "sent_at",
        "body_cleared_at",
        *_BODY_FIELDS,
    ]

    def get_fields(self, request, obj=None):
        if obj is not None and obj.carries_secret:
            # A verification code or reset link is for its recipient only, not for staff.
            return [field for field in self.fields if field not in _BODY_FIELDS]
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def lookup_allowed(self, lookup, value, request=None) -> bool:
        # A filter on a body (?body_text__regex=^K7) would spell out a code one answer at a
        # time: bodies are never a filter.
        if lookup.startswith("body_"):
            return False
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description=_("Message-ID"))
    def message_id(self, obj: OutgoingEmail) -> str:
        return obj.message_id

    @staticmethod
    def _is_superuser(request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request) -> bool:
        return self._is_superuser(request)

    def has_view_permission(self, request, obj=None) -> bool:
        # Not even a manager given the permission: the list would show every program's mail.
        return self._is_superuser(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._is_superuser(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _apply(self, request, queryset, service, done_message: str) -> None:
        done = 0
        for email in queryset:
            try:
                with transaction.atomic():
                    service(email=email)
            except services.OutboxError as error:
                self.message_user(request, f"#{email.pk}: {error}", messages.ERROR)
                continue
            self.log_change(request, email, done_message)
            done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d email queued.", "%(count)d emails queued.", done)
                % {"count": done},
                messages.SUCCESS,
            )

    @admin.action(description=_("Release the selected drafts"), permissions=["change"])
    def release_drafts(self, request, queryset) -> None:
        self._apply(request, queryset, services.email_release, gettext("Released"))

    @admin.action(
        description=_("Send the selected failed or unknown emails again"), permissions=["change"]
    )
    def resend(self, request, queryset) -> None:
        self._apply(request, queryset, services.email_resend, gettext("Queued again"))
