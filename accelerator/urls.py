from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from applications.urls import staff_urlpatterns as applications_staff
from dashboards.urls import staff_urlpatterns as dashboards_staff
from notifications.urls import staff_urlpatterns as notifications_staff
from reviews.urls import invitation_urlpatterns as review_invitations
from reviews.urls import staff_urlpatterns as reviews_staff

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path("favicon.ico", views.favicon),
]

# Each app keeps its own staff pages; they share one prefix and one namespace, "staff", which
# the staff MFA middleware guards.
staff_urlpatterns = [*dashboards_staff, *applications_staff, *reviews_staff, *notifications_staff]

# English at /, French at /fr/: a page's address says its language, so links can be shared.
urlpatterns += i18n_patterns(
    path("", include("cohorts.urls")),
    path("", include("applications.urls")),
    path("staff/", include((staff_urlpatterns, "staff"))),
    path("review/", include("reviews.urls")),
    *review_invitations,
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    prefix_default_language=False,
)
