"""A cohort's dates as an iCalendar file, times in UTC."""

from datetime import UTC, timedelta

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from icalendar import Calendar, Event

from .models import Cohort


def cohort_calendar(cohort: Cohort, *, domain: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Accelerator//{translation.get_language()}")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", str(cohort))
    moments = [
        ("opens", cohort.opens_at, gettext("Applications open: %(cohort)s")),
        ("closes", cohort.closes_at, gettext("Application deadline: %(cohort)s")),
        ("reviews-close", cohort.reviews_close_at, gettext("Reviews close: %(cohort)s")),
        ("decisions", cohort.decisions_at, gettext("Decisions: %(cohort)s")),
    ]
    for key, moment, summary in moments:
        if moment is None:
            continue
        event = Event()
        event.add("uid", f"cohort-{cohort.pk}-{key}@{domain}")
        event.add("summary", summary % {"cohort": cohort})
        event.add("dtstart", moment.astimezone(UTC))
        event.add("dtend", moment.astimezone(UTC))
        event.add("dtstamp", moment.astimezone(UTC))
        calendar.add_component(event)
    if cohort.program_starts_on:
        event = Event()
        event.add("uid", f"cohort-{cohort.pk}-programme@{domain}")
        event.add("summary", gettext("Programme: %(cohort)s") % {"cohort": cohort})
        event.add("dtstart", cohort.program_starts_on)
        # All-day events end the day after their last day.
        event.add("dtend", (cohort.program_ends_on or cohort.program_starts_on) + timedelta(days=1))
        event.add("dtstamp", cohort.closes_at.astimezone(UTC))
        calendar.add_component(event)
    return calendar.to_ical()
