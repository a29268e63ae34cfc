"""The interview stage (#17): shortlist, slots and panels, invitations, bookings (with the
database keeping one startup per slot and one slot per startup), calendar files, scores."""

import json
import re
import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from applications import services as application_services
from applications.enums import ApplicationStatus
from applications.models import Application, ApplicationEvent
from applications.personal_data import applicant_data_export
from cohorts.models import InterviewCriterion
from notifications.models import EmailKind, OutgoingEmail
from selection import decisions, interviews, offers
from selection.interviews import InterviewError
from selection.models import InterviewBooking, InterviewSlot
from tests.clock import clock_pinned
from tests.factories import UserFactory, staff_member
from tests.factories.reviews import close_call, reviewing_cohort

from .world import declare_conflict, reviewed_cohort

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
# Invitations go out at NOW: the pages are read an hour later.
pinned_clock = clock_pinned(NOW + timedelta(hours=1))


def _stage(*, shortlisted=2, slots=3, invite=True):
    world = reviewed_cohort(extra_applications=max(0, shortlisted - 4))
    close_call(world.cohort)  # the shortlist is made once the call is closed
    world.manager = staff_member(programs=[world.cohort.program])
    for order, (name, weight) in enumerate([("Pitch", 2), ("Demo", 1)], 1):
        InterviewCriterion.objects.create(cohort=world.cohort, order=order, name=name,
                                          weight=weight, scale_max=5)  # fmt: skip
    world.shortlisted = interviews.shortlist_add(
        cohort=world.cohort, application_ids=[a.pk for a in world.applications[:shortlisted]],
        actor=world.manager, note="strong",
    )  # fmt: skip
    world.slots = [
        interviews.slot_create(
            cohort=world.cohort,
            starts_at=NOW + timedelta(days=3, hours=i),
            duration=30,
            place="Room Ada",
            panel=[world.manager.pk],
            by=world.manager,
        )
        for i in range(slots)
    ]
    if invite:
        interviews.invitations_send(cohort=world.cohort, by=world.manager, now=NOW)
    return world


def _member(application):
    return application.startup.memberships.select_related("user").first().user


# --- Shortlist -------------------------------------------------------------------------------


def test_shortlisting_goes_through_the_transition_with_who_and_the_note_and_can_be_undone():
    world = _stage(shortlisted=2, slots=0, invite=False)
    first = world.shortlisted[0]

    event = ApplicationEvent.objects.filter(application=first).latest("at")
    assert (first.status, event.actor, event.note) == ("shortlisted", world.manager, "strong")

    interviews.shortlist_remove(application=first, actor=world.manager, note="changed our mind")
    first.refresh_from_db()
    assert first.status == ApplicationStatus.SUBMITTED


def test_an_invited_startup_cannot_be_unshortlisted():
    world = _stage(shortlisted=1, slots=0)

    with pytest.raises(InterviewError):
        interviews.shortlist_remove(application=world.shortlisted[0], actor=world.manager)


def test_the_threshold_preview_lists_who_would_be_shortlisted_and_the_form_shortlists_them(client):
    world = reviewed_cohort()
    close_call(world.cohort)
    manager = staff_member(programs=[world.cohort.program])
    client.force_login(manager)

    preview = client.get(
        reverse("staff:interview_shortlist_preview", args=[world.cohort.pk]), {"min_p_top": "0.5"}
    )
    ids = [
        int(v) for v in re.findall(r'name="application" value="(\d+)"', preview.content.decode())
    ]
    client.post(reverse("staff:interview_shortlist", args=[world.cohort.pk]), {"application": ids})

    shortlisted = set(
        world.cohort.applications.filter(status="shortlisted").values_list("pk", flat=True)
    )
    assert ids
    assert shortlisted == set(ids)
    assert world.applications[0].pk in shortlisted  # the clear first


@pytest.mark.parametrize(
    ("back", "expected"),
    [
        ("https://evil.example/phish", None),
        ("//evil.example/phish", None),
        ("/staff/?from=shortlist", "/staff/?from=shortlist"),
    ],
)
def test_an_empty_shortlist_goes_back_only_to_a_page_of_this_site(client, back, expected):
    cohort = reviewing_cohort()  # nothing ticked: the form goes back with its message
    client.force_login(staff_member(programs=[cohort.program]))

    response = client.post(reverse("staff:interview_shortlist", args=[cohort.pk]), {"back": back})

    ranking = reverse("staff:ranking", args=[cohort.pk])
    assert (response.status_code, response["Location"]) == (302, expected or ranking)


# --- Slots and panels ------------------------------------------------------------------------


def test_bulk_slots_from_nine_to_five_thirty_minutes_ten_apart_in_paris_time():
    world = _stage(shortlisted=1, slots=0, invite=False)

    slots = interviews.slots_create_bulk(
        cohort=world.cohort, days=[date(2026, 12, 7), date(2026, 12, 8)], first=time(9),
        last=time(17), duration=30, gap=10, place="Room Ada", panel=[world.manager.pk],
        by=world.manager,
    )  # fmt: skip

    assert len(slots) == 24  # 9:00, 9:40, … 16:20 each day
    assert slots[0].starts_at == datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # 9:00 in Paris
    assert slots[11].starts_at == datetime(2026, 12, 7, 15, 20, tzinfo=UTC)
    again = interviews.slots_create_bulk(
        cohort=world.cohort, days=[date(2026, 12, 7)], first=time(9), last=time(17),
        duration=30, gap=10, place="Room Ada", by=world.manager,
    )  # fmt: skip
    assert again == []


def test_a_conflicted_reviewer_is_refused_on_the_panel_and_never_sees_the_interview(client):
    world = _stage(shortlisted=1, slots=1)
    application, slot = world.shortlisted[0], world.slots[0]
    reviewer = world.reviewers[0]
    declare_conflict(world, application, reviewer)
    interviews.interview_book(application=application, slot_id=slot.pk,
                              user=_member(application), now=NOW)  # fmt: skip

    with pytest.raises(InterviewError, match="conflict"):
        interviews.slot_panel_set(slot=slot, user_ids=[world.manager.pk, reviewer.user_id],
                                  by=world.manager)  # fmt: skip

    # Sitting on the panel anyway (added before the conflict), the page still answers 404.
    slot.panelists.create(user=reviewer.user)
    client.force_login(reviewer.user)
    assert client.get(reverse("interview_score", args=[application.pk])).status_code == 404


# --- Invitations and bookings ----------------------------------------------------------------


def test_invitations_email_each_member_with_the_link_and_the_dashboard_says_so(client):
    world = _stage(shortlisted=2, slots=1)
    application = world.shortlisted[0]
    member = _member(application)

    email = OutgoingEmail.objects.get(kind=EmailKind.INTERVIEW_INVITATION, recipient=member)
    assert reverse("interview_booking", args=[application.pk]) in email.body_text
    client.force_login(member)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Invited to interview" in page
    assert "Shortlisted" not in page


@pytest.mark.django_db(transaction=True)
def test_two_threads_book_the_last_free_slot_for_two_startups_exactly_one_wins():
    world = _stage(shortlisted=2, slots=1)
    slot = world.slots[0]
    barrier = threading.Barrier(2)
    results = []

    def book(application):
        try:
            barrier.wait()
            interviews.interview_book(application=application, slot_id=slot.pk,
                                      user=_member(application), now=NOW)  # fmt: skip
            results.append("booked")
        except InterviewError as error:
            results.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(a,)) for a in world.shortlisted]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [
        "Another startup has just taken this slot: pick another one.",
        "booked",
    ]
    assert InterviewBooking.objects.count() == 1
    # The loser can still pick another slot.
    loser = next(a for a in world.shortlisted if not InterviewBooking.objects.filter(
        application=a).exists())  # fmt: skip
    other = interviews.slot_create(cohort=world.cohort, starts_at=NOW + timedelta(days=4),
                                   duration=30, place="Room Ada", by=world.manager)  # fmt: skip
    interviews.interview_book(application=loser, slot_id=other.pk, user=_member(loser), now=NOW)
    assert InterviewBooking.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_members_of_one_startup_booking_two_slots_at_once_end_with_one_booking():
    world = _stage(shortlisted=1, slots=2)
    application = world.shortlisted[0]
    from applications.models import Membership

    second = UserFactory()
    Membership.objects.create(startup=application.startup, user=second, role="cofounder")
    members = [_member(application), second]
    barrier = threading.Barrier(2)
    results = []

    def book(user, slot):
        try:
            barrier.wait()
            interviews.interview_book(application=application, slot_id=slot.pk, user=user,
                                      now=NOW)  # fmt: skip
            results.append("booked")
        except InterviewError as error:
            results.append(str(error))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=book, args=pair) for pair in zip(members, world.slots, strict=False)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    bookings = list(InterviewBooking.objects.filter(application=application))
    # Two interleavings: both insert at once (the unique column refuses the second, told so),
    # or the second reads the first's committed booking and moves it (a member may move it).
    # Either way the startup holds one booking, on one of the two slots.
    assert sorted(results) in (
        ["Someone in your startup has just booked a slot: see it below.", "booked"],
        ["booked", "booked"],
    )
    assert len(bookings) == 1
    assert bookings[0].slot_id in {slot.pk for slot in world.slots}


def test_rebooking_closes_24_hours_before_the_slot_and_staff_can_still_move_it():
    world = _stage(shortlisted=1, slots=3)
    application = world.shortlisted[0]
    member = _member(application)
    first, second, third = world.slots  # in 3 days, +1 h, +2 h
    interviews.interview_book(application=application, slot_id=first.pk, user=member, now=NOW)

    with time_machine.travel(first.starts_at - timedelta(hours=25), tick=False):
        interviews.interview_book(application=application, slot_id=second.pk, user=member)
    with (
        time_machine.travel(second.starts_at - timedelta(hours=23), tick=False),
        pytest.raises(InterviewError, match="less than 24 hours"),
    ):
        interviews.interview_book(application=application, slot_id=third.pk, user=member)
    with time_machine.travel(second.starts_at - timedelta(hours=23), tick=False):
        interviews.interview_book(application=application, slot_id=third.pk, user=world.manager,
                                  by_staff=True)  # fmt: skip

    assert InterviewBooking.objects.get(application=application).slot == third


def test_the_calendar_file_parses_with_utc_times_and_place_and_a_move_raises_the_sequence():
    world = _stage(shortlisted=1, slots=1)
    application, slot = world.shortlisted[0], world.slots[0]
    member = _member(application)
    interviews.interview_book(application=application, slot_id=slot.pk, user=member, now=NOW)

    booked = OutgoingEmail.objects.get(kind=EmailKind.INTERVIEW_BOOKED, recipient=member)
    event = Calendar.from_ical(booked.attachments[0]["content"]).walk("VEVENT")[0]
    assert event.decoded("dtstart") == slot.starts_at
    assert event.decoded("dtstart").utcoffset() == timedelta(0)
    assert event.decoded("dtend") == slot.starts_at + timedelta(minutes=30)
    assert str(event["location"]) == "Room Ada"
    panel_email = OutgoingEmail.objects.get(kind=EmailKind.INTERVIEW_BOOKED,
                                            recipient=world.manager)  # fmt: skip
    assert panel_email.attachments[0]["filename"] == "interview.ics"

    interviews.slot_move(slot=slot, starts_at=slot.starts_at + timedelta(hours=2),
                         by=world.manager)  # fmt: skip
    moved = OutgoingEmail.objects.get(kind=EmailKind.INTERVIEW_CHANGED, recipient=member)
    moved_event = Calendar.from_ical(moved.attachments[0]["content"]).walk("VEVENT")[0]
    assert str(moved_event["uid"]) == str(event["uid"])
    assert int(moved_event["sequence"]) > int(event["sequence"])
    assert moved_event.decoded("dtstart") == slot.starts_at + timedelta(hours=2)

    interviews.slot_cancel(slot=InterviewSlot.objects.get(pk=slot.pk), by=world.manager)
    cancelled = OutgoingEmail.objects.filter(kind=EmailKind.INTERVIEW_CHANGED,
                                             recipient=member).order_by("pk").last()  # fmt: skip
    calendar = Calendar.from_ical(cancelled.attachments[0]["content"])
    assert str(calendar["method"]) == "CANCEL"
    assert not InterviewBooking.objects.filter(application=application).exists()


def test_the_outbox_refuses_attachments_on_secret_kinds_and_past_256_kb():
    from notifications.services import OutboxError, email_queue

    attachment = {"filename": "a.ics", "content_type": "text/calendar", "content": "x"}
    with pytest.raises(OutboxError):
        email_queue(kind=EmailKind.LOGIN_CODE, to_address="a@example.com", subject="s",
                    body_text="b", language="en", attachments=[attachment])  # fmt: skip
    with pytest.raises(OutboxError):
        email_queue(kind=EmailKind.GENERIC, to_address="a@example.com", subject="s",
                    body_text="b", language="en",
                    attachments=[attachment | {"content": "x" * (256 * 1024 + 1)}])  # fmt: skip


def test_the_startup_books_from_its_page_and_downloads_the_calendar_file(client):
    world = _stage(shortlisted=1, slots=2)
    application = world.shortlisted[0]
    client.force_login(_member(application))
    url = reverse("interview_booking", args=[application.pk])

    # The clock of the stage, not the real one: the slots are three days after NOW.
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        client.post(url, {"slot": world.slots[1].pk})
        page = client.get(url).content.decode()
        ics = client.get(reverse("interview_booking_ics", args=[application.pk]))

    assert "Your interview" in page
    assert InterviewBooking.objects.get(application=application).slot == world.slots[1]
    assert ics["Content-Type"] == "text/calendar"
    assert b"Room Ada" in ics.content


# --- Scores ----------------------------------------------------------------------------------


def test_a_panel_member_scores_and_staff_see_the_mean_beside_the_estimates(client):
    world = _stage(shortlisted=1, slots=1)
    application = world.shortlisted[0]
    interviews.interview_book(application=application, slot_id=world.slots[0].pk,
                              user=_member(application), now=NOW)  # fmt: skip
    pitch, demo = application.cohort.interview_criteria.all()
    client.force_login(world.manager)

    response = client.post(reverse("interview_score", args=[application.pk]),
                           {f"c{pitch.pk}": "5", f"c{demo.pk}": "3", "notes": "Great demo"},
                           HTTP_HX_REQUEST="true")  # fmt: skip
    assert "Saved at" in response.content.decode()
    refused = client.post(reverse("interview_score", args=[application.pk]),
                          {f"c{pitch.pk}": "9"}, HTTP_HX_REQUEST="true")  # fmt: skip
    assert "is scored from 1 to 5" in refused.content.decode()

    page = client.get(reverse("staff:interviews", args=[world.cohort.pk])).content.decode()
    # (2·1 + 1·0.5) / 3
    assert "0.83" in page


# --- Pages and query counts ------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 5])
def test_the_stage_page_reads_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    world = _stage(shortlisted=size, slots=size)
    for application, slot in zip(world.shortlisted, world.slots, strict=True):
        interviews.interview_book(application=application, slot_id=slot.pk,
                                  user=_member(application), now=NOW)  # fmt: skip
    client.force_login(world.manager)
    url = reverse("staff:interviews", args=[world.cohort.pk])
    client.get(url)

    with django_assert_num_queries(STAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 6])
def test_the_booking_page_reads_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    world = _stage(shortlisted=1, slots=size)
    application = world.shortlisted[0]
    client.force_login(_member(application))
    url = reverse("interview_booking", args=[application.pk])

    with (
        time_machine.travel(NOW + timedelta(hours=1), tick=False),  # the slots are ahead
        django_assert_num_queries(BOOKING_QUERIES),
    ):
        response = client.get(url)
    assert response.content.decode().count('name="slot"') == size


STAGE_QUERIES = 13
BOOKING_QUERIES = 6


def test_the_exports_list_the_shortlist(client):
    world = _stage(shortlisted=2, slots=1)
    client.force_login(world.manager)

    csv = client.get(reverse("staff:interviews_export", args=[world.cohort.pk, "csv"]))
    xlsx = client.get(reverse("staff:interviews_export", args=[world.cohort.pk, "xlsx"]))

    assert csv.content.decode("utf-8-sig").count("\n") == 3
    assert xlsx.status_code == 200


# --- What the startup sees -------------------------------------------------------------------

MASKS = [
    (re.compile(r"/\d+/"), "/N/"),
    (re.compile(r'(value|data-application)="\d+"'), r'\1="N"'),
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), "CSRF"),
    (re.compile(r"[\w.+-]+@[\w.-]+"), "EMAIL"),
    (re.compile(r"\d{4}-\d{2}-\d{2}T[\d:.+]+"), "ISO"),
    (re.compile(r'"(id|application|startup|user)": \d+'), '"ID": N'),
    (re.compile(r"[0-9a-f]{64}"), "SHA256"),
    (re.compile(r"\d{1,2}:\d{2}"), "HH:MM"),
    (re.compile(r"\d{1,2} \w+ \d{4}"), "DATE"),
]


def _masked(text: str, application) -> str:
    text = text.replace(application.startup.name, "STARTUP")
    for membership in application.startup.memberships.select_related("user"):
        text = text.replace(membership.user.get_full_name(), "MEMBER")
        text = text.replace(membership.user.get_short_name(), "MEMBER")
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text


def _what_the_startup_sees(client, application) -> list[str]:
    member = _member(application)
    client.force_login(member)
    pages = []
    for language in ("en", "fr"):
        member.language = language
        member.save(update_fields=["language"])
        with translation.override(language):
            for url in (reverse("dashboard"), reverse("application", args=[application.pk])):
                pages.append(_masked(client.get(url).content.decode(), application))
        pages.append(_masked(json.dumps(applicant_data_export(member), default=str), application))
    emails = list(
        OutgoingEmail.objects.filter(recipient=member).order_by("pk")
        .values_list("subject", "body_text")
    )  # fmt: skip
    pages += [_masked(f"{s}\n{b}", application) for s, b in emails]
    return pages


@time_machine.travel(NOW - timedelta(days=1), tick=False)
def test_before_invitations_a_shortlisted_startup_sees_exactly_what_a_submitted_one_sees(client):
    # A stopped clock: both startups' emails print their submit time to the second, and the
    # call's dates are read under the clock the data was made with.
    world = _stage(shortlisted=1, slots=0, invite=False)
    shortlisted, submitted = world.shortlisted[0], world.applications[1]
    assert (shortlisted.status, submitted.status) == ("shortlisted", "submitted")

    assert _what_the_startup_sees(client, shortlisted) == _what_the_startup_sees(client, submitted)

    interviews.invitations_send(cohort=world.cohort, by=world.manager)
    after = _what_the_startup_sees(client, shortlisted)
    assert "Invited to interview" in after[0]
    assert "Invité" in after[3]
    assert not any(word in page for page in after for word in ("Shortlisted", "Présélectionn"))


# --- Reminders -------------------------------------------------------------------------------


def test_the_day_before_the_startup_and_the_panel_are_reminded_with_the_calendar_file_once():
    from notifications.reminders import reminder_still_due, reminders_sweep

    world = _stage(shortlisted=1, slots=1)
    application, slot = world.shortlisted[0], world.slots[0]
    member = _member(application)
    interviews.interview_book(application=application, slot_id=slot.pk, user=member, now=NOW)

    assert (
        reminders_sweep(now=slot.starts_at - timedelta(hours=25))[EmailKind.INTERVIEW_REMINDER] == 0
    )
    reminders_sweep(now=slot.starts_at - timedelta(hours=23))
    reminders_sweep(now=slot.starts_at - timedelta(hours=22))

    reminders = OutgoingEmail.objects.filter(kind=EmailKind.INTERVIEW_REMINDER).order_by("pk")
    assert {email.recipient for email in reminders} == {member, world.manager}
    event = Calendar.from_ical(reminders[0].attachments[0]["content"]).walk("VEVENT")[0]
    assert event.decoded("dtstart") == slot.starts_at
    # Moved since: the reminder for the old time is no longer due.
    interviews.slot_move(slot=slot, starts_at=slot.starts_at + timedelta(days=1), by=world.manager)
    assert not reminder_still_due(reminders[0], slot.starts_at - timedelta(hours=22))


def test_a_startup_that_has_not_booked_two_days_after_its_invitation_is_reminded_once():
    from notifications.reminders import reminder_still_due, reminders_sweep

    world = _stage(shortlisted=1, slots=1)
    application = world.shortlisted[0]

    reminders_sweep(now=NOW + timedelta(days=1))
    assert not OutgoingEmail.objects.filter(kind=EmailKind.INTERVIEW_REMINDER).exists()
    reminders_sweep(now=NOW + timedelta(days=2))
    reminders_sweep(now=NOW + timedelta(days=3))

    reminder = OutgoingEmail.objects.get(kind=EmailKind.INTERVIEW_REMINDER)
    assert reminder.recipient == _member(application)
    assert reverse("interview_booking", args=[application.pk]) in reminder.body_text
    interviews.interview_book(application=application, slot_id=world.slots[0].pk,
                              user=_member(application), now=NOW + timedelta(days=2))  # fmt: skip
    assert not reminder_still_due(reminder, NOW + timedelta(days=2))


def test_interview_reminders_carry_an_unsubscribe_link_and_nobody_who_turned_them_off_gets_one(
    settings,
):
    from notifications.reminders import reminders_sweep, unsubscribe_headers, unsubscribe_url
    from notifications.services import notification_unsubscribe

    settings.SITE_URL = "https://apply.example"
    world = _stage(shortlisted=2, slots=1)
    booked, unbooked = world.shortlisted
    member, other = _member(booked), _member(unbooked)
    interviews.interview_book(application=booked, slot_id=world.slots[0].pk, user=member,
                              now=NOW)  # fmt: skip
    assert notification_unsubscribe(user_id=world.manager.pk, kind=EmailKind.INTERVIEW_REMINDER)

    reminders_sweep(now=world.slots[0].starts_at - timedelta(hours=23))

    reminders = OutgoingEmail.objects.filter(kind=EmailKind.INTERVIEW_REMINDER)
    assert sorted(reminders.values_list("recipient_id", flat=True)) == sorted([member.pk, other.pk])
    for email in reminders:
        user = email.recipient
        link = unsubscribe_url(user_id=user.pk, kind=EmailKind.INTERVIEW_REMINDER)
        assert link.startswith("https://apply.example/")
        assert f"\n\nStop these reminders: {link}\n" in email.body_text
        assert email.headers == unsubscribe_headers(user_id=user.pk,
                                                    kind=EmailKind.INTERVIEW_REMINDER)  # fmt: skip
    # Turned off after the row was written: the worker cancels it.
    from notifications.services import email_deliver

    notification_unsubscribe(user_id=member.pk, kind=EmailKind.INTERVIEW_REMINDER)
    row = reminders.get(recipient=member)
    assert email_deliver(email_id=row.pk) == "cancelled"
    row.refresh_from_db()
    assert (row.state, row.last_error) == ("cancelled", "The recipient unsubscribed.")


def test_a_conflicted_manager_sees_neither_the_startup_nor_its_booking_on_the_stage_page(client):
    world = _stage(shortlisted=2, slots=2)
    application = world.shortlisted[0]
    interviews.interview_book(application=application, slot_id=world.slots[0].pk,
                              user=_member(application), now=NOW)  # fmt: skip
    other = staff_member(programs=[world.cohort.program])
    from reviews import services as review_services

    review_services.conflict_declare(user=other, application=application, kind="investor")
    client.force_login(other)

    page = client.get(reverse("staff:interviews", args=[world.cohort.pk])).content.decode()

    assert application.startup.name not in page
    assert world.shortlisted[1].startup.name in page
    assert ">Booked<" in page


def test_the_staff_reminders_page_plans_counts_and_previews_interview_reminders(client):
    from notifications.reminders import reminders_sweep

    world = _stage(shortlisted=2, slots=1)
    booked, _unbooked = world.shortlisted
    interviews.interview_book(application=booked, slot_id=world.slots[0].pk,
                              user=_member(booked), now=NOW)  # fmt: skip
    client.force_login(world.manager)
    url = reverse("staff:cohort_reminders", args=[world.cohort.pk])

    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        page = client.get(url).content.decode()

    # Both at 3 December 10:00 in Paris: the day before the interview (its startup's member
    # and its panel), two days after the invitation (the other startup's member).
    assert (
        "<td>3 December 2026, 10:00:00</td><td>Interview reminder</td><td>1 day</td>"
        '<td class="number">2</td>'
    ) in page
    assert (
        "<td>3 December 2026, 10:00:00</td><td>Interview reminder</td>"
        '<td>2 days after the invitation, if not booked</td><td class="number">1</td>'
    ) in page
    assert "<h3>Interview reminder: the day before</h3>" in page
    assert f"<strong>Tomorrow: the interview of {booked.startup.name}</strong>" in page
    assert "<h3>Interview reminder: not booked yet</h3>" in page
    assert f"<strong>Book your interview: {world.cohort}</strong>" in page

    reminders_sweep(now=NOW + timedelta(days=2, minutes=1))
    with time_machine.travel(NOW + timedelta(days=2, minutes=1), tick=False):
        page = client.get(url).content.decode()

    assert "Interview reminder</td>" not in page  # nothing planned any more
    assert (
        '<th scope="row">Interview reminder</th><td class="number">3</td>'
        + ('<td class="number">0</td>' * 5)
        in page
    )


def test_the_staff_reminders_page_previews_no_interview_of_a_startup_the_manager_is_conflicted_with(
    client,
):
    from reviews import services as review_services

    world = _stage(shortlisted=2, slots=1)
    booked, unbooked = world.shortlisted
    interviews.interview_book(application=booked, slot_id=world.slots[0].pk,
                              user=_member(booked), now=NOW)  # fmt: skip
    manager = staff_member(programs=[world.cohort.program])
    for application in (booked, unbooked):
        review_services.conflict_add(user=manager, application=application, kind="investor",
                                     created_by=world.manager)  # fmt: skip
    client.force_login(manager)

    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        page = client.get(reverse("staff:cohort_reminders", args=[world.cohort.pk]))

    text = page.content.decode()
    assert booked.startup.name not in text
    assert unbooked.startup.name not in text
    assert text.count("Nobody would get one today.") == 5  # every kind


# --- A startup that leaves the selection frees its slot ----------------------------------------


def _one_event(email):
    calendar = Calendar.from_ical(email.attachments[0]["content"])
    event = calendar.walk("VEVENT")[0]
    return str(calendar["method"]), str(event["uid"]), int(event["sequence"])


def _changed(recipient):
    return list(OutgoingEmail.objects.filter(kind=EmailKind.INTERVIEW_CHANGED, recipient=recipient))


def test_a_startup_withdrawing_frees_its_slot_for_the_next_tells_the_panel_and_cancels_once():
    world = _stage(shortlisted=2, slots=1)  # one slot for two invited startups
    leaving, next_one = world.shortlisted
    slot, member = world.slots[0], _member(leaving)
    world.manager.language = "fr"
    world.manager.save(update_fields=["language"])
    with time_machine.travel(NOW, tick=False):
        interviews.interview_book(application=leaving, slot_id=slot.pk, user=member)
        booked = OutgoingEmail.objects.get(kind=EmailKind.INTERVIEW_BOOKED, recipient=member)

        application_services.application_withdraw(application=leaving, user=member)
        result = interviews.interview_book(application=next_one, slot_id=slot.pk,
                                           user=_member(next_one))  # fmt: skip

    assert result.booking.slot_id == slot.pk
    assert InterviewBooking.objects.get(slot=slot).application_id == next_one.pk
    [cancelled] = _changed(member)
    method, uid, sequence = _one_event(cancelled)
    _booked_method, booked_uid, booked_sequence = _one_event(booked)
    assert (method, uid) == ("CANCEL", booked_uid)
    assert sequence > booked_sequence
    assert "You can book another slot" not in cancelled.body_text
    [told] = _changed(world.manager)
    assert "La startup s’est retirée de la sélection : le créneau est libre" in told.body_text
    assert _one_event(told)[:2] == ("CANCEL", booked_uid)


def test_staff_withdrawing_an_offer_frees_a_slot_still_to_come_and_leaves_a_past_one(client):
    world = _stage(shortlisted=2, slots=2)
    leaving, interviewed = world.shortlisted
    with time_machine.travel(NOW, tick=False):
        for application, slot in zip(world.shortlisted, world.slots, strict=True):
            interviews.interview_book(application=application, slot_id=slot.pk,
                                      user=_member(application))  # fmt: skip
        for application in world.applications:
            outcome = "winner" if application in world.shortlisted else "rejected"
            decisions.decision_set(application=application, outcome=outcome, actor=world.manager)
        fingerprint = decisions.publication_state(world.cohort).fingerprint
        decisions.decisions_publish(cohort=world.cohort, actor=world.manager,
                                    fingerprint=fingerprint)  # fmt: skip
        client.force_login(world.manager)

        response = client.post(
            reverse("staff:offer_withdraw", args=[world.cohort.pk, leaving.offer.pk])
        )
    with time_machine.travel(world.slots[1].starts_at + timedelta(hours=1), tick=False):
        offers.offer_withdraw(offer=interviewed.offer, actor=world.manager)  # its interview is past

    assert response.status_code == 302
    assert Application.objects.get(pk=leaving.pk).status == ApplicationStatus.DECLINED
    assert list(InterviewBooking.objects.values_list("application_id", flat=True)) == [
        interviewed.pk
    ]
    [cancelled] = _changed(_member(leaving))
    assert _one_event(cancelled)[0] == "CANCEL"
    [told] = _changed(world.manager)
    assert told.subject == f"Interview cancelled: {leaving.startup.name}"
    assert "The startup has withdrawn from the selection" in told.body_text
    assert _changed(_member(interviewed)) == []


@pytest.mark.django_db(transaction=True)
def test_a_booking_racing_the_startups_withdrawal_leaves_no_slot_held_by_a_withdrawn_startup():
    # The withdrawal holds its transaction open until the booking is seen waiting on a lock,
    # then commits: the booking, which read the startup as shortlisted before, must not land.
    world = _stage(shortlisted=1, slots=1)
    application, slot = world.shortlisted[0], world.slots[0]
    second = UserFactory()
    from applications.models import Membership

    Membership.objects.create(startup=application.startup, user=second, role="cofounder")
    backend, results, connected = [], [], threading.Event()

    def book():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backend.append(cursor.fetchone()[0])
            connected.set()
            interviews.interview_book(application=application, slot_id=slot.pk, user=second,
                                      now=NOW)  # fmt: skip
            results.append("booked")
        except InterviewError as error:
            results.append(str(error))
        finally:
            connection.close()

    booking = threading.Thread(target=book)
    with time_machine.travel(NOW, tick=False), transaction.atomic():
        application_services.application_withdraw(application=application,
                                                  user=_member(application))  # fmt: skip
        booking.start()
        connected.wait()
        with connection.cursor() as cursor:
            while booking.is_alive():  # until the booking waits on the withdrawal's row lock
                cursor.execute("SELECT cardinality(pg_blocking_pids(%s))", backend)
                if cursor.fetchone()[0]:
                    break
    booking.join()

    assert results == ["This startup is not invited to interview."]
    assert not InterviewBooking.objects.exists()
