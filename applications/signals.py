"""Signals this app sends to the apps above it."""

from django.dispatch import Signal

# Sent by application_transition() inside its transaction, with `application`, `from_status`,
# `to_status` and `actor`: reviews end a withdrawn application's assignments.
status_changed = Signal()

# Sent by application_screen_out() inside its transaction, with `application` and `actor`:
# reviews end its active assignments; the ranking leaves it out.
screened_out = Signal()

# Sent by application_screen_in() inside its transaction, with `application` and `actor`: the
# ranking counts it again.
screened_in = Signal()
