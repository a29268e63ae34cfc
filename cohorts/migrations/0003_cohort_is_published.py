from django.db import migrations, models


class Migration(migrations.Migration):
    """Cohorts that exist were public before the flag: they become published. From then on a
    new cohort starts unpublished (the model's default)."""

    dependencies = [
        ("cohorts", "0002_question_file_types"),
    ]

    operations = [
        migrations.AddField(
            model_name="cohort",
            name="is_published",
            field=models.BooleanField(default=True, verbose_name="published"),
        ),
        migrations.AlterField(
            model_name="cohort",
            name="is_published",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Unpublished cohorts are seen only by their program's staff: not listed, and "
                    "their pages and applications answer “not found” to everyone else."
                ),
                verbose_name="published",
            ),
        ),
    ]
