from django.urls import path, register_converter

from . import views


class EmailActionConverter:
    regex = "release|resend"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(EmailActionConverter, "email_action")

# Under /staff/, in the "staff" namespace (accelerator/urls.py gathers every app's).
staff_urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:email_id>/", views.email_detail, name="email"),
    path(
        "outbox/<int:email_id>/<email_action:action>/",
        views.email_action,
        name="email_action",
    ),
]
