from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models

from applications.search import normalise


def fill_days_and_search_text(apps, schema_editor):
    """Paris days for existing applications, and their search text (startup name, members'
    names and emails, answers of the latest submitted version)."""
    Application = apps.get_model("applications", "Application")
    Membership = apps.get_model("applications", "Membership")
    Submission = apps.get_model("applications", "Submission")
    paris = ZoneInfo(settings.TIME_ZONE)
    for application in Application.objects.select_related("startup").iterator():
        parts = [application.startup.name]
        for membership in Membership.objects.filter(startup_id=application.startup_id).select_related("user"):
            parts += [membership.user.full_name, membership.user.email]
        latest = Submission.objects.filter(application=application).order_by("-number").first()
        if latest is not None:
            for answer in latest.content.get("answers", []):
                value = answer.get("value")
                if isinstance(value, str):
                    parts.append(value)
                elif isinstance(value, list):
                    parts += [str(item) for item in value]
        Application.objects.filter(pk=application.pk).update(
            started_on=application.created_at.astimezone(paris).date(),
            submitted_on=application.submitted_at.astimezone(paris).date()
            if application.submitted_at
            else None,
            search_text=normalise(" ".join(part for part in parts if part)),
        )


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0008_outgoingemail_to_notifications"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="search text"),
        ),
        migrations.AddField(
            model_name="application",
            name="started_on",
            field=models.DateField(editable=False, null=True, verbose_name="started on"),
        ),
        migrations.AddField(
            model_name="application",
            name="submitted_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="first submitted on"),
        ),
        migrations.RunPython(fill_days_and_search_text, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="application",
            name="started_on",
            field=models.DateField(editable=False, verbose_name="started on"),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["cohort", "-submitted_at"], name="application_cohort_submitted"),
        ),
    ]
