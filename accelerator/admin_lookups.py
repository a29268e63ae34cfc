"""No regular expression from an admin URL reaches the database, and a lookup the model does
not have is a 400, not a redirect to an error page."""

from functools import wraps

from django.contrib.admin import ModelAdmin, SimpleListFilter
from django.core.exceptions import FieldDoesNotExist
from django.db.models.constants import LOOKUP_SEP

# An invalid pattern (`?name__regex=(`) is a database error, so a 500, and a valid one can be
# made slow on purpose. Nothing in our admin filters by pattern.
REFUSED_LOOKUPS = frozenset({"regex", "iregex"})


def lookup_exists(model, lookup: str) -> bool:
    """Whether `lookup` (as in `?cohort__program__name__icontains=`) names fields of `model`,
    then a lookup or a transform that the last field has."""
    field = None
    parts = lookup.split(LOOKUP_SEP)
    for index, part in enumerate(parts):
        if model is not None:
            try:
                field = model._meta.pk if part == "pk" else model._meta.get_field(part)
            except FieldDoesNotExist:
                if field is None:
                    return False
            else:
                model = field.related_model
                continue
        # Past the fields: a lookup ends the path; a transform (year, date, …) is left for
        # Django to resolve with what follows it.
        if field.get_transform(part) is not None:
            return True
        return index == len(parts) - 1 and field.get_lookup(part) is not None
    return True


def _own_filter_parameters(model_admin) -> set[str]:
    """The query parameters of the admin's own list filters (`?phase=open`): not lookups."""
    return {
        entry.parameter_name
        for entry in model_admin.list_filter
        if isinstance(entry, type) and issubclass(entry, SimpleListFilter)
    }


def refuse_regex_and_unknown_lookups() -> None:
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
        if lookup not in _own_filter_parameters(self) and not lookup_exists(self.model, lookup):
            return False
        return allowed(self, lookup, value, request)

    lookup_allowed.refuses_regex = True
    ModelAdmin.lookup_allowed = lookup_allowed
