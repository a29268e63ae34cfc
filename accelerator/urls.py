from django.contrib import admin
from django.urls import URLResolver, include, path
from django.urls.resolvers import LocalePrefixPattern
from django.utils import translation

from accounts.views import language_choose
from applications.urls import staff_urlpatterns as applications_staff
from dashboards.urls import staff_urlpatterns as dashboards_staff
from notifications.urls import staff_urlpatterns as notifications_staff
from reviews.urls import invitation_urlpatterns as review_invitations
from reviews.urls import staff_urlpatterns as reviews_staff
from selection.urls import applicant_urlpatterns as selection_applicant
from selection.urls import interview_urlpatterns
from selection.urls import staff_urlpatterns as selection_staff

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path("favicon.ico", views.favicon),
    # Outside the language prefixes: it answers in none, it only redirects.
    path("language/", language_choose, name="language_choose"),
]

# Each app keeps its own staff pages; they share one prefix and one namespace, "staff", which
# the staff MFA middleware guards.
staff_urlpatterns = [
    *dashboards_staff, *applications_staff, *reviews_staff, *selection_staff, *notifications_staff,
]  # fmt: skip


class AnyLanguageUnprefixed(LocalePrefixPattern):
    """English at /, French at /fr/, as Django's i18n_patterns; an unprefixed address also
    matches while another language is active, since the language middleware gives it the
    user's or the browser's language (Django's pattern would answer 404 there)."""

    def match(self, path: str):
        matched = super().match(path)
        if matched is None and not translation.get_language_from_path("/" + path):
            return path, (), {}
        return matched


def i18n_patterns(*urls):
    return [URLResolver(AnyLanguageUnprefixed(prefix_default_language=False), list(urls))]


# A page's address may say its language (/fr/…), so links can be shared.
urlpatterns += i18n_patterns(
    path("", include("cohorts.urls")),
    path("", include("applications.urls")),
    path("", include(selection_applicant)),
    path("staff/", include((staff_urlpatterns, "staff"))),
    path("review/", include("reviews.urls")),
    *review_invitations,
    *interview_urlpatterns,
    path("admin/", admin.site.urls),
    path("notifications/", include("notifications.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
)
