from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from .models import User


def admin_login(request: HttpRequest, extra_context=None) -> HttpResponseRedirect:
    """Django's own admin login takes a password alone; every login goes through allauth
    instead (email verification, rate limits, two-factor authentication)."""
    wanted = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        wanted = reverse("admin:index")
    if request.user.is_authenticated:
        if not request.user.is_staff:
            raise PermissionDenied
        return HttpResponseRedirect(wanted)
    return HttpResponseRedirect(reverse("account_login") + "?" + urlencode({"next": wanted}))


admin.site.login = admin_login


class StaffNeedsVerifiedEmailForm(UserChangeForm):
    def clean(self):
        cleaned_data = super().clean()
        email = cleaned_data.get("email") or self.instance.email
        if cleaned_data.get("is_staff") and not (
            self.instance.pk
            and EmailAddress.objects.filter(
                user=self.instance, email__iexact=email, verified=True
            ).exists()
        ):
            self.add_error(
                "is_staff",
                _(
                    "Staff need a verified email address to set up two-factor authentication. "
                    "Ask them to log in and verify it, or mark it verified under Email addresses."
                ),
            )
        return cleaned_data


class EmailAddressInline(admin.TabularInline):
    model = EmailAddress
    extra = 0
    fields = ["email", "verified", "primary"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = StaffNeedsVerifiedEmailForm
    inlines = [EmailAddressInline]
    ordering = ["email"]
    list_display = ["email", "full_name", "language", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "language"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name", "language", "time_zone"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]
