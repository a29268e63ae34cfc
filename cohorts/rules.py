"""Who may configure what: superusers everything, program managers (staff) their programs.
Every predicate asks the one staff scope (selectors.staff_scope), computed once per request."""

import rules


def _scope(user):
    from .selectors import staff_scope  # selectors import the models, which import these rules

    return staff_scope(user)


@rules.predicate
def manages_program(user, obj=None) -> bool:
    """Staff named manager of the object's program (a program, a cohort, or a part of a
    cohort); without an object (a list, a new row, a shared partner), of any program."""
    scope = _scope(user)
    if obj is None:
        return not scope.is_empty
    if hasattr(obj, "managers"):  # a Program
        return scope.manages_program(obj.pk)
    if hasattr(obj, "program_id"):  # a Cohort
        return scope.manages_program(obj.program_id)
    if getattr(obj, "cohort_id", None):  # a question, criterion or partner role
        return scope.manages_cohort(obj.cohort_id)
    return not scope.is_empty


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
