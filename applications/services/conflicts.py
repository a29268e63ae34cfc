"""The conflicts of interest a startup names with its application."""

import re

from django.db import transaction
from django.utils.translation import gettext

from accelerator.text import has_unstorable_characters
from notifications.models import CONTROL_CHARACTERS

from ..enums import EDITABLE_STATUSES, NamedConflictKind
from ..models import Application, NamedConflict
from ..signals import named_conflicts_changed
from .applications import ApplicationError

NAMED_CONFLICTS_MAX = 50


@transaction.atomic
def named_conflict_add(
    *,
    application: Application,
    user,
    kind: str,
    partner=None,
    organisation: str = "",
    person_name: str = "",
    person_email: str = "",
) -> NamedConflict:
    """A member of the startup names an organisation (a partner of the cohort, or in free
    text) or a person (a name, optionally an email) it has a conflict of interest with, while
    the application can still change. Side effects: the `named_conflicts_changed` signal
    (reviews confirm a matching email, suggest a matching name or partner)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    organisation, person_name = organisation.strip(), person_name.strip()
    person_email = person_email.strip()
    if application.status not in EDITABLE_STATUSES or not application.accepts_submissions():
        raise ApplicationError(gettext("This application can no longer change."))
    if kind not in NamedConflictKind.values:
        raise ApplicationError(gettext("Choose the kind of conflict."))
    if partner is None and not organisation and not person_name:
        raise ApplicationError(gettext("Name an organisation or a person."))
    if person_email and not person_name:
        raise ApplicationError(gettext("Give the person's name with their email."))
    if any(
        has_unstorable_characters(text) or re.search(CONTROL_CHARACTERS, text)
        for text in (organisation, person_name)
    ):
        raise ApplicationError(gettext("Write names on one line, without control characters."))
    if (
        partner is not None
        and not application.cohort.cohort_partners.filter(partner=partner).exists()
    ):
        raise ApplicationError(gettext("Choose one of this call's partners."))
    if application.named_conflicts.count() >= NAMED_CONFLICTS_MAX:
        raise ApplicationError(
            gettext("You can name at most %(count)d conflicts.") % {"count": NAMED_CONFLICTS_MAX}
        )
    named = NamedConflict.objects.create(
        application=application, partner=partner, organisation=organisation[:200],
        person_name=person_name[:200], person_email=person_email, kind=kind, created_by=user,
    )  # fmt: skip
    named_conflicts_changed.send(sender=NamedConflict, application=application)
    return named


@transaction.atomic
def named_conflict_remove(*, named: NamedConflict) -> None:
    """The startup no longer names it, while the application can still change. A conflict
    staff already confirmed from it stays (staff lift it)."""
    application = named.application
    if application.status not in EDITABLE_STATUSES or not application.accepts_submissions():
        raise ApplicationError(gettext("This application can no longer change."))
    named.delete()
    named_conflicts_changed.send(sender=NamedConflict, application=application)
