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
