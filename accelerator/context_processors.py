from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url


def languages(request: HttpRequest) -> dict:
    """The same page in each language, for the switcher in the header."""
    return {
        "language_links": [
            {"code": code, "name": name, "url": translate_url(request.get_full_path(), code)}
            for code, name in settings.LANGUAGES
        ]
    }
