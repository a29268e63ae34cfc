from django.urls import path, re_path

from . import views

app_name = "notifications"

# Public: the unsubscribe links in reminders, and the signed-in person's settings.
urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path(
        "unsubscribe/<str:token>/one-click/",
        views.unsubscribe_one_click,
        name="unsubscribe_one_click",
    ),
    path("settings/", views.notification_settings, name="settings"),
]

# Under /staff/, in the "staff" namespace (accelerator/urls.py gathers every app's).
staff_urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:email_id>/", views.email_detail, name="email"),
    re_path(
        r"^outbox/(?P<email_id>[0-9]+)/(?P<action>release|resend)/$",
        views.email_action,
        name="email_action",
    ),
]
