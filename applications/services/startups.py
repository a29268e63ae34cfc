"""Startups and their teams."""

import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from notifications.models import EmailKind
from notifications.services import email_queue, email_render

from ..models import Invitation, Membership, Startup, StartupPastName, Submission
from ..selectors import cohort_countries_forget
from .search import startup_search_refresh

INVITATION_LIFETIME = timedelta(days=14)


class TeamError(Exception):
    """A team change that cannot be made; its message is shown to the user."""


@transaction.atomic
def startup_create(*, user, role: str = "", **fields) -> Startup:
    """A new startup with `user` as its first member."""
    startup = Startup(created_by=user, **fields)
    startup.full_clean()
    startup.save()
    Membership.objects.create(startup=startup, user=user, role=role)
    return startup


@transaction.atomic
def startup_update(*, startup: Startup, membership: Membership | None = None) -> Startup:
    """Save a startup's profile as edited (validated by its form), and the editing member's
    own details. Side effects: staff search follows a new name, staff filters a new country;
    a name or legal entity given up after the first submission is kept as a past name (blind
    review redacts it)."""
    before = Startup.objects.filter(pk=startup.pk).values_list("name", "legal_entity").first()
    given_up = {
        old for old in before or () if old and old not in (startup.name, startup.legal_entity)
    }
    if given_up and Submission.objects.filter(application__startup=startup).exists():
        StartupPastName.objects.bulk_create(
            [StartupPastName(startup=startup, name=name) for name in sorted(given_up)],
            ignore_conflicts=True,
        )
    startup.save()
    if membership is not None:
        membership.save()
    startup_search_refresh(startup=startup)
    cohort_countries_forget(startup.applications.values_list("cohort_id", flat=True))
    return startup


@transaction.atomic
def invitation_create(*, startup: Startup, email: str, invited_by, base_url: str) -> Invitation:
    """Invite a co-founder. Side effects: an email with the acceptance link (a secret kind:
    hidden from staff, cleared once sent, never resent), in the inviter's language, linked to
    the invitation so that the inviter is told if it fails; an earlier pending invitation to
    the same address is revoked, so only the newest link works."""
    email = email.strip()
    if startup.memberships.filter(user__email__iexact=email).exists():
        raise TeamError(gettext("%(email)s is already in your team.") % {"email": email})
    now = timezone.now()
    startup.invitations.filter(
        email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    invitation = Invitation.objects.create(
        startup=startup,
        email=email,
        token=secrets.token_urlsafe(32),
        invited_by=invited_by,
        created_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    language = invited_by.language
    with translation.override(language):
        context = {
            "invitation": invitation,
            "startup": startup,
            "inviter": invited_by,
            "accept_url": base_url + reverse("invitation_accept", args=[invitation.token]),
            "site_name": settings.SITE_NAME,
        }
        invitation.outgoing_email = email_queue(
            kind=EmailKind.TEAM_INVITATION,
            to_address=email,
            **email_render("team_invitation", context),
            language=language,
        )
    invitation.save(update_fields=["outgoing_email"])
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user) -> Membership:
    """Join the invitation's startup. Only a user whose verified address is the invited one
    may, before it expires and unless it was revoked or already used. Side effects: staff
    search finds the startup's applications by the new member."""
    invitation = Invitation.objects.select_for_update().filter(token=token).first()
    if invitation is None or not invitation.is_pending():
        raise TeamError(gettext("This invitation is no longer valid: ask for a new one."))
    verified = EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists()
    if not verified:
        raise TeamError(
            gettext(
                "This invitation is for %(email)s. Log in with that address, verified, to "
                "accept it."
            )
            % {"email": invitation.email}
        )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(startup=invitation.startup, user=user)
    except IntegrityError as error:
        raise TeamError(gettext("You are already in this team.")) from error
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    startup_search_refresh(startup=invitation.startup)
    return membership


def invitation_revoke(*, invitation: Invitation) -> None:
    """The link stops working at once."""
    revoked = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if not revoked:
        raise TeamError(gettext("This invitation was already accepted or revoked."))


@transaction.atomic
def membership_leave(*, membership: Membership) -> None:
    """Leave a startup; the last member cannot, or the startup would belong to nobody. Side
    effects: staff search no longer finds its applications by the one who left."""
    members = list(Membership.objects.select_for_update().filter(startup_id=membership.startup_id))
    if len(members) <= 1:
        raise TeamError(
            gettext("You are the last member of this startup: invite someone before you leave.")
        )
    membership.delete()
    startup_search_refresh(startup=membership.startup)
