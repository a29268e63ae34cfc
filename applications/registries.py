"""What upper apps tell applications, filled in their AppConfig.ready(): applications never
imports them."""

from collections.abc import Callable

from cohorts.registries import Registry

# user → the ids of the applications they have a confirmed conflict of interest with, as a
# subquery (values of one column), or None: staff pages and exports never show those.
conflicted_with = Registry(default=None)
# application → what its applicant is told once the app above has something to say (the
# published decision, an interview invitation), as an ApplicantStatus, or None. Asked in order,
# the first answer wins; applicant_status() falls back on its own derivation.
applicant_status_providers: list[Callable] = []
# application → the text the program wrote to the startup with its decision ("" for none).
applicant_feedback_providers: list[Callable] = []
# (application, request) → HTML to show on the application's card on the dashboard (the
# offer to accept or decline), or "".
applicant_panels: list[Callable] = []
# application ids → {application id: ApplicantStatus} for the applications at a stage the
# applicant is meant to see (selection: invited to interview); absent ids show as before.
applicant_stages = Registry(default={})
