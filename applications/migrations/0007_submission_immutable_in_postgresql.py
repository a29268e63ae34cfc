"""On PostgreSQL, the database itself refuses to change or delete a submitted version, except
inside the personal-data redaction context (which sets a transaction-local flag) or to
forget who submitted it when that account is deleted."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION applications_submission_immutable() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('accelerator.allow_submission_redaction', true), '') = 'on' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE'
       AND NEW.content = OLD.content AND NEW.sha256 = OLD.sha256 AND NEW.number = OLD.number
       AND NEW.application_id = OLD.application_id AND NEW.submitted_at = OLD.submitted_at
       AND NEW.submitted_by_id IS NULL THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'A submitted version never changes (applications_submission %).', OLD.id;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER applications_submission_immutable
    BEFORE UPDATE OR DELETE ON applications_submission
    FOR EACH ROW EXECUTE FUNCTION applications_submission_immutable();
"""
DROP = """
DROP TRIGGER IF EXISTS applications_submission_immutable ON applications_submission;
DROP FUNCTION IF EXISTS applications_submission_immutable();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # no placeholders: % is literal here


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("applications", "0006_actor_name_label")]

    operations = [migrations.RunPython(create_trigger, drop_trigger, elidable=False)]
