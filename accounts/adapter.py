"""allauth, customised only here: its emails go through the outbox in the reader's language, and
new users keep the language they signed up in."""

from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from notifications.models import EmailKind
from notifications.services import email_html_from_text, email_queue_message

from .models import User

# allauth's email templates by what they carry; any other is a security notice.
EMAIL_KIND_BY_TEMPLATE = {
    "account/email/email_confirmation_signup": EmailKind.EMAIL_VERIFICATION,
    "account/email/email_confirmation": EmailKind.EMAIL_VERIFICATION,
    "account/email/login_code": EmailKind.LOGIN_CODE,
    "account/email/password_reset_key": EmailKind.PASSWORD_RESET,
    "account/email/password_reset_code": EmailKind.PASSWORD_RESET,
}


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        recipient = context.get("user") or User.objects.filter(email__iexact=email).first()
        # Someone without an account (a password reset for an unknown address) reads the
        # language of the page they were on.
        language = recipient.language if recipient else translation.get_language()
        full_context = {
            "request": self.request,
            "email": email,
            # allauth's emails greet and sign off with the site's name: ours, not a host name.
            "current_site": SimpleNamespace(
                name=settings.SITE_NAME, domain=get_current_site(self.request).domain
            ),
            **context,
        }
        with translation.override(language):
            message = self.render_mail(template_prefix, email, full_context)
            if not getattr(message, "alternatives", None):
                # allauth's emails are text only: the same text in the site's look.
                message = _with_html(message, email_html_from_text(message.subject, message.body))
        email_queue_message(
            message,
            kind=EMAIL_KIND_BY_TEMPLATE.get(template_prefix, EmailKind.ACCOUNT_NOTICE),
            language=language,
            recipient=recipient,
        )

    def save_user(self, request: HttpRequest, user: User, form, commit: bool = True) -> User:
        user.language = translation.get_language() or user.language
        return super().save_user(request, user, form, commit=commit)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        # The home page in the user's own language.
        with translation.override(request.user.language):
            return reverse("home")


def _with_html(message: EmailMessage, body_html: str) -> EmailMultiAlternatives:
    alternative = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=message.from_email,
        to=message.to,
        headers=message.extra_headers,
    )
    alternative.attach_alternative(body_html, "text/html")
    return alternative
