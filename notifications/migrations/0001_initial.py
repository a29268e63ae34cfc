"""OutgoingEmail moves here from applications, in Django's state only: its table,
applications_outgoingemail, was created by applications.0001 and keeps its name, rows,
constraints and indexes. applications.0008 then drops the model from applications' state."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        # The table exists, as applications' last state describes it.
        ('applications', '0007_submission_immutable_in_postgresql'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.CreateModel(
            name='OutgoingEmail',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('generic', 'Other'), ('email_verification', 'Email address verification'), ('login_code', 'Login code'), ('password_reset', 'Password reset'), ('team_invitation', 'Team invitation'), ('account_notice', 'Account security notice'), ('application_submitted', 'Application submitted')], max_length=40, verbose_name='kind')),
                ('idempotency_key', models.CharField(blank=True, help_text='Unique per kind: a second email with the same key is never created.', max_length=200, verbose_name='idempotency key')),
                ('to_address', models.EmailField(max_length=254, verbose_name='to')),
                ('from_address', models.CharField(max_length=254, verbose_name='from')),
                ('subject', models.CharField(max_length=255, verbose_name='subject')),
                ('body_text', models.TextField(blank=True, verbose_name='text body')),
                ('body_html', models.TextField(blank=True, verbose_name='HTML body')),
                ('language', models.CharField(choices=[('en', 'English'), ('fr', 'French')], max_length=8, verbose_name='language')),
                ('state', models.CharField(choices=[('draft', 'Draft: waits for a person to release it'), ('queued', 'Queued'), ('sending', 'Sending'), ('sent', 'Sent'), ('failed', 'Failed'), ('unknown', 'Unknown: may have been sent')], default='queued', max_length=10, verbose_name='state')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                ('last_error', models.TextField(blank=True, verbose_name='last error')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('next_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='next attempt at')),
                ('sending_since', models.DateTimeField(blank=True, null=True, verbose_name='sending since')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent at')),
                ('body_cleared_at', models.DateTimeField(blank=True, null=True, verbose_name='body cleared at')),
                ('recipient', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='emails_received', to=settings.AUTH_USER_MODEL, verbose_name='recipient user')),
            ],
            options={
                'verbose_name': 'outgoing email',
                'verbose_name_plural': 'outgoing emails',
                'db_table': 'applications_outgoingemail',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['state', 'next_attempt_at'], name='outbox_due_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('state__in', ['draft', 'queued', 'sending', 'sent', 'failed', 'unknown'])), name='outbox_state_known'), models.UniqueConstraint(condition=models.Q(('idempotency_key', ''), _negated=True), fields=('kind', 'idempotency_key'), name='outbox_idempotency_key_unique_per_kind'), models.CheckConstraint(condition=models.Q(models.Q(('state', 'queued'), _negated=True), ('next_attempt_at__isnull', False), _connector='OR'), name='outbox_queued_has_next_attempt')],
            },
        ),
            ],
            database_operations=[],
        ),
    ]
