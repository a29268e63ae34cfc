"""The calendar file of an interview: one event per application (one UID, whichever slot it
holds), its SEQUENCE raised by every booking, move and cancellation, so a calendar replaces
the event it already has instead of adding a second one."""

from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar, Event, vCalAddress

ICS_CONTENT_TYPE = "text/calendar"
ICS_FILENAME = "interview.ics"


def interview_uid(application_id: int) -> str:
    return f"interview-{application_id}@{settings.EMAIL_MESSAGE_ID_DOMAIN}"


def interview_ics(
    *, application, slot, sequence: int, cancel: bool = False, now: datetime | None = None
) -> str:
    """The event in the active language, times in UTC; METHOD:CANCEL for a cancellation."""
    calendar = Calendar()
    calendar.add("prodid", "-//accelerator//interviews//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = Event()
    event.add("uid", interview_uid(application.pk))
    event.add("sequence", sequence)
    event.add("dtstamp", (now or timezone.now()).astimezone(UTC))
    event.add("dtstart", slot.starts_at.astimezone(UTC))
    event.add("dtend", slot.ends_at.astimezone(UTC))
    event.add(
        "summary",
        gettext("Interview: %(startup)s — %(cohort)s")
        % {"startup": application.startup.name, "cohort": application.cohort},
    )
    event.add("location", slot.place)
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.rpartition('<')[2].strip('>')}")
    event.add("organizer", organizer)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical().decode()


def ics_attachment(content: str) -> dict:
    return {"filename": ICS_FILENAME, "content_type": ICS_CONTENT_TYPE, "content": content}
