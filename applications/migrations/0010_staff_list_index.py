from django.db import migrations

INDEX = "application_cohort_submitted_nl"


def create_index(apps, schema_editor):
    # PostgreSQL sorts NULLs first in a DESC index, so without NULLS LAST it could not serve
    # "newest submission first, drafts last" and sorted the whole cohort on every page;
    # SQLite refuses NULLS LAST in an index and already puts NULLs last in DESC order.
    nulls_last = " NULLS LAST" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX {INDEX} ON applications_application "
        f"(cohort_id, submitted_at DESC{nulls_last})"
    )


def drop_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0009_staff_search_and_days"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="application", name="application_cohort_submitted"),
        migrations.RunPython(create_index, drop_index),
    ]
