"""The cohort an email concerns, by id: staff pages scope the outbox with it."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='outgoingemail',
            name='cohort_id',
            field=models.PositiveBigIntegerField(blank=True, db_index=True, null=True, verbose_name='cohort'),
        ),
    ]
