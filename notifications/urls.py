from django.urls import path, re_path

from . import views

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
