"""On SQLite too, the database itself refuses to change or delete a submitted version, as
0007's trigger does on PostgreSQL: except to forget who submitted it (submitted_by becomes
NULL when that account is deleted), or while applications_submission_redaction holds a row.

That row stands in for PostgreSQL's SET LOCAL: redaction_allowed() inserts it inside its
transaction and deletes it before leaving, so it is never committed and no other connection
sees it (SQLite runs one writer at a time). A TEMP table would be closer in spirit, but SQLite
forbids a trigger of the main schema to read the temp one. As on PostgreSQL, deleting an
application that has submitted versions is refused outside that context."""

from django.db import migrations

CREATE = [
    "CREATE TABLE applications_submission_redaction (allowed integer NOT NULL DEFAULT 1)",
    """
    CREATE TRIGGER applications_submission_immutable_update
    BEFORE UPDATE ON applications_submission FOR EACH ROW
    WHEN NOT EXISTS (SELECT 1 FROM applications_submission_redaction)
     AND NOT (NEW.content IS OLD.content AND NEW.sha256 IS OLD.sha256
              AND NEW.number IS OLD.number AND NEW.application_id IS OLD.application_id
              AND NEW.submitted_at IS OLD.submitted_at AND NEW.submitted_by_id IS NULL)
    BEGIN
        SELECT RAISE(ABORT, 'A submitted version never changes (applications_submission).');
    END
    """,
    """
    CREATE TRIGGER applications_submission_immutable_delete
    BEFORE DELETE ON applications_submission FOR EACH ROW
    WHEN NOT EXISTS (SELECT 1 FROM applications_submission_redaction)
    BEGIN
        SELECT RAISE(ABORT, 'A submitted version never changes (applications_submission).');
    END
    """,
]
DROP = [
    "DROP TRIGGER IF EXISTS applications_submission_immutable_delete",
    "DROP TRIGGER IF EXISTS applications_submission_immutable_update",
    "DROP TABLE IF EXISTS applications_submission_redaction",
]


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in CREATE:
            schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("applications", "0010_staff_list_index")]

    operations = [migrations.RunPython(create_triggers, drop_triggers, elidable=False)]
