"""Who may do what with startups and applications."""

import rules


@rules.predicate
def is_startup_member(user, startup) -> bool:
    return user.is_authenticated and startup.memberships.filter(user=user).exists()


@rules.predicate
def is_application_member(user, application) -> bool:
    return is_startup_member(user, application.startup)


rules.add_perm("applications.edit_startup", is_startup_member)
rules.add_perm("applications.edit_application", is_application_member)


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
