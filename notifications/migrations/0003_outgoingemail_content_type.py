"""The content type of OutgoingEmail follows the model from applications to notifications, so
that its permissions and the admin's log entries follow too. Where a notifications one exists
already (made by a post_migrate in between), the applications one is left for
remove_stale_contenttypes."""

from django.db import migrations


def _relabel(apps, schema_editor, *, from_label: str, to_label: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db_alias = schema_editor.connection.alias
    types = ContentType.objects.using(db_alias)
    if types.filter(app_label=to_label, model="outgoingemail").exists():
        return
    types.filter(app_label=from_label, model="outgoingemail").update(app_label=to_label)


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, from_label="applications", to_label="notifications")


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, from_label="notifications", to_label="applications")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("notifications", "0002_outgoingemail_cohort_id"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
