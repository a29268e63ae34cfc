"""Opting out of reminders: a signed link without login, the one-click POST of mail readers,
and the settings page of a signed-in person."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from notifications.models import EmailKind, Unsubscription
from notifications.reminders import (
    UNSUBSCRIBE_SALT,
    unsubscribe_headers,
    unsubscribe_token,
    unsubscribe_url,
)
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

DEADLINE = EmailKind.DEADLINE_REMINDER


@pytest.fixture
def csrf_client():
    """A browser-like client: POSTs without the page's CSRF token are refused."""
    return Client(enforce_csrf_checks=True)


def confirmation_path(user, kind=DEADLINE) -> str:
    return reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id=user.pk,
                                                                        kind=kind)])  # fmt: skip


def unsubscribed(user) -> list[str]:
    return sorted(Unsubscription.objects.filter(user=user).values_list("kind", flat=True))


def test_the_link_asks_first_then_unsubscribes_without_login(csrf_client):
    user = UserFactory()
    url = confirmation_path(user)

    page = csrf_client.get(url)
    assert page.status_code == 200
    assert "Stop receiving this kind of email: Application deadline reminder?" in (
        page.content.decode()
    )
    assert unsubscribed(user) == []

    done = csrf_client.post(url, {"csrfmiddlewaretoken": page.cookies["csrftoken"].value})

    assert done.status_code == 200
    assert "You will no longer receive this kind of email" in done.content.decode()
    assert unsubscribed(user) == [DEADLINE]


def test_the_confirmation_post_without_a_csrf_token_is_refused(csrf_client):
    user = UserFactory()
    url = confirmation_path(user)

    response = csrf_client.post(url)

    assert response.status_code == 403
    assert unsubscribed(user) == []


def test_one_click_post_works_without_a_csrf_token(csrf_client):
    user = UserFactory()
    url = unsubscribe_headers(user_id=user.pk, kind=DEADLINE)["List-Unsubscribe"].strip("<>")
    path = url.removeprefix("http://localhost:8000")

    response = csrf_client.post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert unsubscribed(user) == [DEADLINE]


def test_one_click_answers_only_post(csrf_client):
    user = UserFactory()
    path = reverse("notifications:unsubscribe_one_click",
                   args=[unsubscribe_token(user_id=user.pk, kind=DEADLINE)])  # fmt: skip

    assert csrf_client.get(path).status_code == 405
    assert unsubscribed(user) == []


@pytest.mark.parametrize("view", ["unsubscribe", "unsubscribe_one_click"])
def test_a_forged_or_altered_link_is_refused(csrf_client, view):
    user, other = UserFactory(), UserFactory()
    genuine = unsubscribe_token(user_id=user.pk, kind=DEADLINE)
    payload, signature = genuine.rsplit(":", 1)
    altered_user = signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(
        {"u": other.pk, "k": DEADLINE}
    ).rsplit(":", 1)[0] + ":" + signature  # fmt: skip
    other_key = signing.Signer(key="not-our-secret", salt=UNSUBSCRIBE_SALT).sign_object(
        {"u": other.pk, "k": DEADLINE}
    )
    transactional = unsubscribe_token(user_id=user.pk, kind=EmailKind.EMAIL_VERIFICATION)

    # One character of the signature changed (never to itself: that would be the genuine link).
    altered_signature = payload + ":" + ("y" if signature[0] == "x" else "x") + signature[1:]
    for token in (altered_user, other_key, altered_signature, transactional,
                  "garbage"):  # fmt: skip
        path = reverse(f"notifications:{view}", args=[token])
        # The confirmation page refuses it before showing a button; one-click on its POST.
        response = csrf_client.get(path) if view == "unsubscribe" else csrf_client.post(path)
        assert response.status_code == 400, token

    assert Unsubscription.objects.count() == 0


def test_the_link_in_an_email_names_the_site_and_the_recipients_language(settings):
    settings.SITE_URL = "https://apply.example"
    user = UserFactory(language="fr")
    from django.utils import translation

    with translation.override("fr"):
        url = unsubscribe_url(user_id=user.pk, kind=DEADLINE)

    assert url.startswith("https://apply.example/fr/notifications/unsubscribe/")


def test_settings_page_shows_each_reminder_kind_with_a_switch_and_saves_them(client):
    user = UserFactory()
    client.login(email=user.email, password=PASSWORD)
    url = reverse("notifications:settings")

    page = client.get(url).content.decode()
    assert 'name="deadline_reminder" checked' in page
    assert 'name="review_reminder" checked' in page
    assert 'name="interview_reminder" checked> Interview reminder</label>' in page
    assert page.count('role="switch"') == 3
    assert "offer_reminder" not in page  # part of the offer: always sent
    assert "Emails about your account (verification, codes, security)" in page

    response = client.post(url, {"review_reminder": "on"})

    assert response.status_code == 302
    assert unsubscribed(user) == [DEADLINE, EmailKind.INTERVIEW_REMINDER]
    page = client.get(url).content.decode()
    assert 'name="deadline_reminder">' in page
    assert 'name="interview_reminder">' in page
    assert 'name="review_reminder" checked' in page

    client.post(
        url, {"review_reminder": "on", "deadline_reminder": "on", "interview_reminder": "on"}
    )

    assert unsubscribed(user) == []


def test_settings_page_needs_a_signed_in_user(client):
    response = client.get(reverse("notifications:settings"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_settings_page_refuses_a_post_without_its_csrf_token(csrf_client):
    user = UserFactory()
    csrf_client.login(email=user.email, password=PASSWORD)

    response = csrf_client.post(reverse("notifications:settings"), {})

    assert response.status_code == 403
    assert unsubscribed(user) == []


def test_the_reminders_a_person_turned_off_are_in_their_data_export():
    from accounts.personal_data import personal_data_export

    user = UserFactory()
    Unsubscription.objects.create(user=user, kind=EmailKind.REVIEW_REMINDER)

    assert personal_data_export(user)["reminders_turned_off"] == ["review_reminder"]
