"""Who may do what with applications on the staff side. Applicants reach only their own
startups because every applicant page looks objects up through selectors.startups_of() and
applications_of(): anything else does not exist for them (404)."""

import rules

from cohorts.selectors import staff_scope


@rules.predicate
def manages_cohort_of(user, obj=None) -> bool:
    """Staff managing the cohort of the application (or of the extension's application);
    without an object, of any cohort. Asks the staff scope: no query once it is known."""
    scope = staff_scope(user)
    application = getattr(obj, "application", obj)
    if application is None:
        return not scope.is_empty
    return scope.manages_cohort(application.cohort_id)


can_oversee = rules.is_superuser | manages_cohort_of

rules.add_perm("applications.view_application", can_oversee)
rules.add_perm("applications.view_extension", can_oversee)
rules.add_perm("applications.add_extension", can_oversee)
