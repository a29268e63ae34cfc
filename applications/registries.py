"""What upper apps tell applications, filled in their AppConfig.ready(): applications never
imports them."""

from cohorts.registries import Registry

# application ids → {application id: ApplicantStatus} for the applications at a stage the
# applicant is meant to see (selection: invited to interview); absent ids show as before.
applicant_stages = Registry(default={})
