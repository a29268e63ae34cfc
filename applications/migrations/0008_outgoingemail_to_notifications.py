"""OutgoingEmail now belongs to notifications (notifications.0001 took it over in Django's
state): drop it from applications' state only. The table stays, under its old name."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0007_submission_immutable_in_postgresql"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OutgoingEmail")],
            database_operations=[],
        ),
    ]
