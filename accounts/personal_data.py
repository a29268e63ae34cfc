"""Everything the app holds about a person, to give it to them or to erase it.

accounts sits below the apps that hold most of that data, so it does not import them: each
registers its part in its AppConfig.ready() with `personal_data_register`. The emails sent to
the person come from notifications, below accounts, and close both the export and the deletion.
"""

from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from notifications.personal_data import iso, recipient_emails_export


@dataclass(frozen=True)
class PersonalDataPart:
    """One app's part: `export(user)` gives top-level keys of the export; `delete(user)` erases
    or anonymises what the app holds, inside the account deletion's transaction and before the
    user row goes."""

    export: Callable[..., dict]
    delete: Callable[..., None]


_parts: dict[str, PersonalDataPart] = {}

ADDRESS_DIGEST_SALT = "accounts.erased-address"


def address_digest(email: str, *, secret: str | None = None) -> str:
    """A keyed hash of an address (stripped, lower-cased), kept where a deleted account must
    still be recognised (its conflicts of interest) without keeping the address: HMAC-SHA256
    under a key derived from SECRET_KEY (salted_hmac: SHA-256 of this salt and the secret),
    so the digest cannot be recomputed from a list of addresses without the secret."""
    return salted_hmac(
        ADDRESS_DIGEST_SALT, email.strip().lower(), secret=secret, algorithm="sha256"
    ).hexdigest()


def address_digests(email: str) -> list[str]:
    """The address's digest under SECRET_KEY and under each SECRET_KEY_FALLBACKS: a digest kept
    before the key was rotated still matches."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [address_digest(email, secret=secret) for secret in secrets]


def personal_data_register(
    name: str, *, export: Callable[..., dict], delete: Callable[..., None]
) -> None:
    """Register an app's part under its name; registering a name again replaces it, so a
    ready() that runs twice does not export or delete twice."""
    _parts[name] = PersonalDataPart(export=export, delete=delete)


def personal_data_parts() -> list[PersonalDataPart]:
    """The registered parts, in the order they were registered (the apps' order)."""
    return list(_parts.values())


def personal_data_export(user) -> dict:
    """The user's account and its addresses, then each registered part (startups, applications,
    ...), then the emails sent to them (codes and links excepted: those are cleared once
    sent)."""
    data = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "language": user.language,
            "time_zone": user.time_zone,
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user)
            ],
        },
    }
    for part in personal_data_parts():
        data |= part.export(user)
    data |= recipient_emails_export(user)
    return data
