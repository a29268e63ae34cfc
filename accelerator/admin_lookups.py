"""No regular expression from an admin URL reaches the database."""

from functools import wraps

from django.contrib.admin import ModelAdmin
from django.db.models.constants import LOOKUP_SEP

# An invalid pattern (`?name__regex=(`) is a database error, so a 500, and a valid one can be
# made slow on purpose. Nothing in our admin filters by pattern.
REFUSED_LOOKUPS = frozenset({"regex", "iregex"})


def refuse_regex_lookups() -> None:
    """Patch ModelAdmin itself, so every registered admin refuses them, ours and third-party
    ones alike (allauth's, Django's UserAdmin, which calls the base): the changelist then
    raises DisallowedModelAdminLookup, which Django answers with 400."""
    allowed = ModelAdmin.lookup_allowed
    if getattr(allowed, "refuses_regex", False):
        return

    @wraps(allowed)
    def lookup_allowed(self, lookup, value, request=None):
        if REFUSED_LOOKUPS.intersection(lookup.split(LOOKUP_SEP)):
            return False
        return allowed(self, lookup, value, request)

    lookup_allowed.refuses_regex = True
    ModelAdmin.lookup_allowed = lookup_allowed
