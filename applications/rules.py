"""Who may do what with applications on the staff side. Applicants reach only their own
startups because every applicant page looks objects up through selectors.startups_of() and
applications_of(): anything else does not exist for them (404)."""

import rules


@rules.predicate
def manages_cohort_of(user, obj=None) -> bool:
    """Staff managing the program of the application (or of the extension's application);
    without an object, of any program."""
    if not (user.is_authenticated and user.is_staff):
        return False
    application = getattr(obj, "application", obj)
    if application is None:
        return user.managed_programs.exists()
    return application.cohort.program.managers.filter(pk=user.pk).exists()


can_oversee = rules.is_superuser | manages_cohort_of

rules.add_perm("applications.view_application", can_oversee)
rules.add_perm("applications.view_extension", can_oversee)
rules.add_perm("applications.add_extension", can_oversee)
