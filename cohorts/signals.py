from django.dispatch import Signal

# Sent by station_f_load(demo=True) with `cohort` (the demo cohort) and `now`, so that other
# apps add their own demo rows (applications adds a founder) without cohorts importing them.
demo_loaded = Signal()
