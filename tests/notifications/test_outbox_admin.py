"""Superusers read the outbox in the admin, release drafts, resend what failed; secrets stay
hidden; other staff do not see it at all."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse

from notifications.models import EmailKind, EmailState, OutgoingEmail
from notifications.services import email_deliver
from tests.factories import UserFactory, queue_email

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:notifications_outgoingemail_changelist")


def change_url(email: OutgoingEmail) -> str:
    return reverse("admin:notifications_outgoingemail_change", args=[email.pk])


def history_url(email: OutgoingEmail) -> str:
    return reverse("admin:notifications_outgoingemail_history", args=[email.pk])


def test_list_filters_by_state_and_kind(staff_client):
    queue_email(to_address="queued@startup.example")
    queue_email(to_address="draft@startup.example", draft=True)
    queue_email(to_address="invited@startup.example", kind=EmailKind.TEAM_INVITATION, draft=True)

    drafts = staff_client.get(CHANGELIST, {"state__exact": "draft"})
    invitations = staff_client.get(CHANGELIST, {"kind__exact": "team_invitation"})

    assert drafts.status_code == 200
    assert [e.to_address for e in drafts.context["cl"].result_list] == [
        "invited@startup.example",
        "draft@startup.example",
    ]
    assert [e.to_address for e in invitations.context["cl"].result_list] == [
        "invited@startup.example"
    ]


def test_secret_body_is_hidden_from_staff_before_and_after_sending(staff_client):
    email = queue_email(
        kind=EmailKind.PASSWORD_RESET,
        to_address="ada@startup.example",
        body_text="Reset your password: https://apply.example/reset/SECRET-TOKEN/",
    )

    before = staff_client.get(change_url(email))
    email_deliver(email_id=email.pk)
    pages = [staff_client.get(url) for url in (CHANGELIST, change_url(email), history_url(email))]

    assert [page.status_code for page in [before, *pages]] == [200, 200, 200, 200]
    for page in [before, *pages]:
        assert "SECRET-TOKEN" not in page.content.decode()
    assert "ada@startup.example" in pages[1].content.decode()
    assert "Password reset" in pages[1].content.decode()
    assert "SECRET-TOKEN" in mail.outbox[0].body


def test_release_action_queues_a_draft_and_records_it(staff_client):
    draft = queue_email(draft=True)

    response = staff_client.post(
        CHANGELIST, {"action": "release_drafts", "_selected_action": [draft.pk]}, follow=True
    )

    draft.refresh_from_db()
    assert draft.state == EmailState.QUEUED
    assert [str(m) for m in response.context["messages"]] == ["1 email queued."]
    history = staff_client.get(history_url(draft)).content.decode()
    assert "Released" in history


def test_resend_action_requeues_failed_but_never_a_secret(staff_client):
    failed = queue_email()
    secret = queue_email(kind=EmailKind.LOGIN_CODE)
    OutgoingEmail.objects.filter(pk__in=[failed.pk, secret.pk]).update(
        state=EmailState.FAILED, attempts=6, next_attempt_at=None
    )

    response = staff_client.post(
        CHANGELIST,
        {"action": "resend", "_selected_action": [failed.pk, secret.pk]},
        follow=True,
    )

    failed.refresh_from_db()
    secret.refresh_from_db()
    assert (failed.state, failed.attempts) == (EmailState.QUEUED, 0)
    assert secret.state == EmailState.FAILED
    assert sorted(str(m) for m in response.context["messages"]) == [
        f"#{secret.pk}: An email carrying a code or a link is never resent; ask for a new one.",
        "1 email queued.",
    ]


def test_release_refuses_an_email_that_is_not_a_draft(staff_client):
    queued = queue_email()

    response = staff_client.post(
        CHANGELIST, {"action": "release_drafts", "_selected_action": [queued.pk]}, follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [
        f"#{queued.pk}: Only a draft can be released."
    ]


def test_outbox_cannot_be_added_to_or_deleted_from_in_the_admin(staff_client):
    email = queue_email()

    add = staff_client.get(reverse("admin:notifications_outgoingemail_add"))
    delete = staff_client.get(reverse("admin:notifications_outgoingemail_delete", args=[email.pk]))

    assert (add.status_code, delete.status_code) == (403, 403)


def test_non_staff_cannot_see_the_outbox(client, django_user_model):
    user = django_user_model.objects.create_user("founder@startup.example", "pw-123456789")
    client.force_login(user)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_bodies_cannot_be_probed_with_list_filters(staff_client):
    queue_email(kind=EmailKind.PASSWORD_RESET, body_text="Reset: https://x.example/reset/SECRET/")

    probe = staff_client.get(CHANGELIST, {"body_text__contains": "SECRET"})

    # A disallowed lookup is a suspicious operation: 400, never an answer.
    assert probe.status_code == 400


def test_staff_who_are_not_superusers_never_see_the_outbox(client):
    # Even given the permissions: the list spans every program's emails.
    manager = UserFactory(email="manager@stationf.example", is_staff=True)
    TOTP.activate(manager, generate_totp_secret())
    manager.user_permissions.set(
        Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(OutgoingEmail),
            codename__in=["view_outgoingemail", "change_outgoingemail"],
        )
    )
    draft = queue_email(draft=True)
    client.force_login(manager)

    index = client.get(reverse("admin:index"))
    listing = client.get(CHANGELIST)
    detail = client.get(change_url(draft))
    release = client.post(CHANGELIST, {"action": "release_drafts", "_selected_action": [draft.pk]})

    assert index.status_code == 200
    assert CHANGELIST not in index.content.decode()
    assert (listing.status_code, detail.status_code, release.status_code) == (403, 403, 403)
    draft.refresh_from_db()
    assert draft.state == EmailState.DRAFT


def test_an_email_shows_the_cohort_it_concerns(staff_client):
    email = queue_email(cohort_id=42)

    response = staff_client.get(change_url(email))

    assert response.status_code == 200
    assert "cohort_id" in response.context["adminform"].readonly_fields
    assert response.context["original"].cohort_id == 42
