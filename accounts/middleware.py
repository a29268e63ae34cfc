from urllib.parse import urlencode

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
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
        if user.is_staff:
            reason = gettext(
                "Staff accounts need two-factor authentication. Set it up with an "
                "authenticator app to continue."
            )
        else:
            reason = gettext(
                "Reviewers read startups' confidential applications: set up two-factor "
                "authentication with an authenticator app to continue."
            )
        messages.warning(request, reason)
        return HttpResponseRedirect(
            reverse("mfa_activate_totp") + "?" + urlencode({"next": request.get_full_path()})
        )


class UserLanguageMiddleware(LocaleMiddleware):
    """The language of a page: the one its address names (/fr/…), else the user's saved one,
    else the one chosen with the switcher (its cookie), else the browser's (Accept-Language),
    else English. Django's own middleware gives every unprefixed address the default language,
    so a French browser, or a user who chose French, read English at / and /startup/. Placed
    after the authentication middleware, which it reads."""

    def process_request(self, request: HttpRequest) -> None:
        language = translation.get_language_from_path(request.path_info)
        user = getattr(request, "user", None)
        if not language and user is not None and user.is_authenticated:
            language = user.language
        if not language:
            language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response):
        response = super().process_response(request, response)
        # The same unprefixed address answers in several languages: caches must know.
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response
