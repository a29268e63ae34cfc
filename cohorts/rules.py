"""Who may configure what: superusers everything, program managers (staff) their programs."""

import rules


def _program_of(obj):
    if hasattr(obj, "managers"):  # a Program
        return obj
    if getattr(obj, "program_id", None):  # a Cohort
        return obj.program
    cohort = getattr(obj, "cohort", None) if getattr(obj, "cohort_id", None) else None
    return cohort.program if cohort else None


@rules.predicate
def manages_program(user, obj=None) -> bool:
    """Staff named manager of the object's program; without an object (a list, a new row, a
    shared partner), of any program."""
    if not (user.is_authenticated and user.is_staff):
        return False
    program = _program_of(obj) if obj is not None else None
    if program is None:
        return user.managed_programs.exists()
    return program.managers.filter(pk=user.pk).exists()


can_manage_programs = rules.is_superuser | manages_program

# Questions, criteria and partner roles belong to a cohort: whoever manages it manages them.
COHORT_PART_PERMISSIONS = {
    "view": can_manage_programs,
    "add": can_manage_programs,
    "change": can_manage_programs,
    "delete": can_manage_programs,
}

# Programs' own configuration: managers view and edit; only superusers delete.
MANAGED_PERMISSIONS = {
    "view": can_manage_programs,
    "add": can_manage_programs,
    "change": can_manage_programs,
    "delete": rules.is_superuser,
}
