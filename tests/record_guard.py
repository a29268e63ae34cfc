"""The decision record's table refuses TRUNCATE (selection migration 0005). Tests that empty
the whole database connect as the tables' owner, who may lift that guard for the statement:
what production's app role may not do (deploy/app_role.sql)."""

TABLE = "selection_decisionrecord"
_GUARD = f"ALTER TABLE {TABLE} {{}} TRIGGER selection_decisionrecord_no_truncate"


def past_the_truncate_guard(statements: list[str]) -> list[str]:
    """`statements` (TRUNCATEs, without pending foreign-key checks before them) between
    lifting the guard and putting it back."""
    return [_GUARD.format("DISABLE"), *statements, _GUARD.format("ENABLE")]
