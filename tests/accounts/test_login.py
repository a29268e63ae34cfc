from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WRONG_PASSWORD_MESSAGE = "The email address and/or password you specified are not correct."
RATE_LIMIT_MESSAGE = "Too many failed login attempts. Try again later."


def log_in(client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_sixth_wrong_password_is_refused_and_so_is_the_right_one_until_the_window_passes(client):
    founder = UserFactory(email="ada@startup.example")
    with time_machine.travel("2026-11-22 10:00:00+00:00", tick=False) as clock:
        wrong = [log_in(client, founder.email, "not the password") for _attempt in range(5)]
        sixth = log_in(client, founder.email, "not the password")
        right_too_soon = log_in(client, founder.email, PASSWORD)
        clock.shift(timedelta(minutes=4, seconds=59))
        right_still_too_soon = log_in(client, founder.email, PASSWORD)
        clock.shift(timedelta(seconds=2))
        right_after_window = log_in(client, founder.email, PASSWORD)
        # Read while the clock is still stopped: on the real one the session has expired.
        logged_in_as = client.session["_auth_user_id"]

    for response in wrong:
        assert response.status_code == 200
        assert WRONG_PASSWORD_MESSAGE in response.content.decode()
    for response in (sixth, right_too_soon, right_still_too_soon):
        assert response.status_code == 200
        assert RATE_LIMIT_MESSAGE in response.content.decode()
    assert right_after_window.status_code == 302
    assert logged_in_as == str(founder.pk)


def test_typed_email_stays_in_the_form_after_an_error(client):
    response = log_in(client, "ada@startup.example", "not the password")

    page = response.content.decode()
    assert 'value="ada@startup.example"' in page
    assert "not the password" not in page


def test_unverified_address_must_be_verified_before_logging_in(client):
    founder = UserFactory(verified_email=False)

    response = log_in(client, founder.email, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_french_user_lands_on_the_french_home_page(client):
    founder = UserFactory(language="fr")

    response = log_in(client, founder.email, PASSWORD)

    assert response["Location"] == "/fr/"
