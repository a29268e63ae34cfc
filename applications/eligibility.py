"""Whether a startup may apply to a cohort, explained before anything is written."""

from django.utils.translation import gettext as _

from cohorts.enums import ApplicantKind, Region

# The EU and the EEA, the United Kingdom and Switzerland.
EUROPE = frozenset(
    ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
     "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",  # the EU
     "IS", "LI", "NO",  # the rest of the EEA
     "GB", "CH"]
)  # fmt: skip


def eligibility_problems(startup, cohort) -> list[str]:
    """Every reason the startup's profile does not fit the cohort; empty when it fits."""
    problems = []
    country = startup.country.code if startup.country else ""
    if cohort.region == Region.FRANCE and country != "FR":
        problems.append(
            _("This call is for startups based in France; your profile says %(country)s.")
            % {"country": startup.country.name if country else _("no country")}
        )
    if cohort.region == Region.EUROPE and country not in EUROPE:
        problems.append(
            _(
                "This call is for startups based in the EU or EEA, the United Kingdom or "
                "Switzerland; your profile says %(country)s."
            )
            % {"country": startup.country.name if country else _("no country")}
        )
    if (
        cohort.applicant_kind == ApplicantKind.STARTUP
        and cohort.required_stages
        and startup.stage not in cohort.required_stages
    ):
        problems.append(
            _("This call is for startups at these stages: %(stages)s; your profile says %(stage)s.")
            % {
                "stages": ", ".join(str(label) for label in cohort.get_required_stages_display()),
                "stage": startup.get_stage_display() if startup.stage else _("no stage"),
            }
        )
    return problems


# The profile fields a submission needs; research teams skip the startup-only ones. The
# profile's form marks them, so a founder fills them in before starting.
PROFILE_FIELDS_NEEDED = ["name", "country", "pitch"]
STARTUP_PROFILE_FIELDS_NEEDED = [
    "stage", "year_founded", "team_size", "funding_raised", "foundation_models",
]  # fmt: skip


def profile_fields_needed(applicant_kind: str = ApplicantKind.STARTUP) -> list[str]:
    if applicant_kind == ApplicantKind.STARTUP:
        return PROFILE_FIELDS_NEEDED + STARTUP_PROFILE_FIELDS_NEEDED
    return list(PROFILE_FIELDS_NEEDED)


def profile_problems(startup, cohort) -> list[str]:
    """Profile fields a submission needs and the profile lacks, in one message."""
    labels = {
        "name": _("name"),
        "country": _("country"),
        "pitch": _("pitch"),
        "stage": _("stage"),
        "year_founded": _("year founded"),
        "team_size": _("team size"),
        "funding_raised": _("funding raised so far"),
        "foundation_models": _("open foundation models"),
    }
    needed = profile_fields_needed(cohort.applicant_kind)
    missing = [labels[field] for field in needed if not getattr(startup, field)]
    if not missing:
        return []
    return [_("Complete your startup's profile: %(fields)s.") % {"fields": ", ".join(missing)}]
