"""The language of a page: its address's prefix, then the user's saved language, then the
switcher's cookie, then the browser's; the switcher wins at once."""

import pytest
from django.core import mail

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def page_language(response) -> str:
    return response.content.decode().split('<html lang="')[1].split('"')[0]


def test_a_french_browser_reads_french_on_unprefixed_addresses(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.5")

    assert page_language(response) == "fr"
    assert response["Content-Language"] == "fr"
    assert "Accept-Language" in response["Vary"]


def test_an_english_browser_reads_english(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    assert page_language(response) == "en"


def test_a_user_who_chose_french_reads_french_on_unprefixed_addresses(client):
    client.force_login(UserFactory(language="fr"))

    home = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    dashboard = client.get("/startup/", HTTP_ACCEPT_LANGUAGE="en")

    assert (page_language(home), page_language(dashboard)) == ("fr", "fr")


def test_the_address_prefix_wins_over_the_saved_language(client):
    client.force_login(UserFactory(language="en"))

    response = client.get("/fr/startup/")

    assert page_language(response) == "fr"


def test_the_switcher_saves_the_users_language_and_wins_at_once(client):
    user = UserFactory(language="fr")
    client.force_login(user)

    response = client.post("/language/", {"language": "en", "next": "/fr/startup/"})
    after = client.get("/startup/", HTTP_ACCEPT_LANGUAGE="fr")

    user.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, "/startup/")
    assert user.language == "en"
    assert page_language(after) == "en"


def test_the_switcher_wins_over_the_browser_for_a_visitor(client):
    response = client.post("/language/", {"language": "en", "next": "/fr/"})
    after = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response["Location"] == "/"
    assert page_language(after) == "en"


def test_the_switcher_never_redirects_elsewhere(client):
    response = client.post("/language/", {"language": "fr", "next": "https://evil.example/"})

    assert response["Location"] == "/fr/"


def test_signing_up_with_a_french_browser_saves_french_and_emails_in_french(client):
    client.post(
        "/accounts/signup/",
        {"email": "ines@startup.example", "password1": "orbit lantern 42 meadow",
         "password2": "orbit lantern 42 meadow"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )  # fmt: skip

    from accounts.models import User
    from notifications.models import OutgoingEmail

    assert User.objects.get().language == "fr"
    assert OutgoingEmail.objects.get().language == "fr"
    assert mail.outbox == []
