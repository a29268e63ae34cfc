from urllib.parse import urlencode

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext

# URL namespaces of pages only staff use (the admin, the staff workspace), and of the reviewer
# pages, which require two-factor authentication of whoever opens them (reviewers are not
# staff: partner engineers read startups' confidential applications).
STAFF_NAMESPACES = frozenset({"admin", "staff"})
EVERYONE_NAMESPACES = frozenset({"review"})
SESSION_NEXT_KEY = "staff_mfa_next"


class StaffMFAMiddleware:
    """With STAFF_REQUIRE_MFA, a staff user without two-factor authentication who opens a staff
    page, or anyone who opens a reviewer page, is sent to set it up first; the page they wanted
    is kept in the session, and offered once their recovery codes are shown."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not settings.STAFF_REQUIRE_MFA:
            return None
        user = request.user
        if not user.is_authenticated:
            return None
        namespaces = set(request.resolver_match.namespaces)
        guarded = bool(EVERYONE_NAMESPACES & namespaces) or (
            user.is_staff and bool(STAFF_NAMESPACES & namespaces)
        )
        if not guarded:
            return None
        if is_mfa_enabled(user):
            request.session.pop(SESSION_NEXT_KEY, None)  # reached: nothing left to offer
            return None
        if request.method == "GET":
            request.session[SESSION_NEXT_KEY] = request.get_full_path()
        messages.warning(
            request,
            gettext(
                "Staff accounts need two-factor authentication. Set it up with an "
                "authenticator app to continue."
            ),
        )
        return HttpResponseRedirect(
            reverse("mfa_activate_totp") + "?" + urlencode({"next": request.get_full_path()})
        )
