"""`make run`: a person trying the app on their machine, on the embedded default."""

import secrets

from .base import *

DEBUG = env.bool("DEBUG", default=True)
# A person trying the app should not need an authenticator app to see the admin; the admin
# shows a banner saying so.
STAFF_REQUIRE_MFA = env.bool("STAFF_REQUIRE_MFA", default=False)

if not SECRET_KEY:
    # Generated once and kept, so sessions survive a restart of `make run`.
    _secret_key_file = VAR_DIR / "secret_key"
    if not _secret_key_file.exists():
        _secret_key_file.write_text(secrets.token_urlsafe(50))
        _secret_key_file.chmod(0o600)
    SECRET_KEY = _secret_key_file.read_text().strip()
