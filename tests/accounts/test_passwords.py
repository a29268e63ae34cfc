"""Passwords are hashed with Argon2; an older PBKDF2 hash still logs in and is rewritten."""

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from accelerator.settings import base
from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_hashers(settings):
    # The test settings use a fast hasher; these tests are about the real ones.
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS


@pytest.mark.usefixtures("production_hashers")
def test_a_new_password_is_hashed_with_argon2():
    user = UserFactory()

    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)


@pytest.mark.usefixtures("production_hashers")
def test_a_pbkdf2_hash_still_logs_in_and_is_rewritten_with_argon2(client):
    user = UserFactory(email="ada@lumen.example")
    User.objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    user.refresh_from_db()
    assert response.status_code == 302
    assert user.password.startswith("argon2$argon2id$")
