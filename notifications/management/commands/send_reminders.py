"""`send_reminders --as-of DATETIME`: the reminder sweep as if it were that time, so a person
trying the app sees the reminders a draft would get (printed by the console email backend)."""

from datetime import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.models import EmailState, OutgoingEmail
from notifications.reminders import reminders_sweep
from notifications.services import email_deliver


class Command(BaseCommand):
    help = "Write (and send) the reminders due at a given time, as if it were that time."

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of",
            required=True,
            help="ISO date and time, e.g. 2026-12-20T10:00 (Paris time unless an offset is given).",
        )
        parser.add_argument(
            "--no-send",
            action="store_true",
            help="Only write the rows; the worker sends them.",
        )

    def handle(self, *args, as_of: str, no_send: bool = False, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("send_reminders --as-of is refused here: it is for trying the app.")
        try:
            moment = datetime.fromisoformat(as_of)
        except ValueError as error:
            raise CommandError(f"--as-of: {error}. Write e.g. 2026-12-20T10:00.") from error
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        before = set(OutgoingEmail.objects.values_list("pk", flat=True))
        written = reminders_sweep(now=moment)
        for kind, count in written.items():
            self.stdout.write(f"{kind}: {count} row(s) written")
        new = OutgoingEmail.objects.exclude(pk__in=before).order_by("pk")
        if no_send:
            return
        for email in new.filter(state=EmailState.QUEUED):
            # Sent now, in this terminal with the console backend; the due checks run at the
            # real time, which is before the deadline the reminder names.
            state = email_deliver(email_id=email.pk)
            self.stdout.write(f"#{email.pk} to {email.to_address}: {state}")
