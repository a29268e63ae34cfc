"""Signals this app sends to the apps above it."""

from django.dispatch import Signal

# Sent by application_transition() inside its transaction, with `application`, `from_status`,
# `to_status` and `actor`: reviews end a withdrawn application's assignments.
status_changed = Signal()

# Sent by application_submit() inside its transaction, with `application` and `submission`:
# reviews look for conflicts of interest with the startup.
application_submitted = Signal()

# Sent when a startup names, or stops naming, a conflict of interest, with `application`.
named_conflicts_changed = Signal()

# Sent by application_anonymise() with `application`: the apps above drop what they copied of
# its personal data (reviews: what matched in a conflict named by the startup).
application_anonymised = Signal()

# Sent by application_screen_out() inside its transaction, with `application` and `actor`:
# reviews end its active assignments; the ranking leaves it out.
screened_out = Signal()

# Sent by application_screen_in() inside its transaction, with `application` and `actor`: the
# ranking counts it again.
screened_in = Signal()
