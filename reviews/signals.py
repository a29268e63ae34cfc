"""Signals this app sends to the apps above it."""

from django.dispatch import Signal

# Sent with `cohort_id` when the reviews that count change: a review submitted, a submitted
# review's score changed, a conflict confirmed or lifted. The ranking is recomputed.
scores_changed = Signal()
