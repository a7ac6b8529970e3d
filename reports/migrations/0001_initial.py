"""Generated reports move here from the tasks app, rows and files kept."""

import django.db.models.deletion
import django.utils.timezone
import reports.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0004_security_event_lockout_lifted'),
        ('programme', '0002_target_indicator_fields'),
        ('tasks', '0004_generated_report_moved_to_reports'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The table tasks.0002 made, with its rows, becomes this app's: taken into the state
        # under its old name, then renamed (tasks.0004 took it out of the tasks app's state).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='GeneratedReport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('standing_committee', 'Status report to the Standing Committee'), ('oversight', 'Oversight report'), ('body', "Body's report")], max_length=20, verbose_name='kind')),
                        ('as_of_date', models.DateField(blank=True, null=True, verbose_name='as of the date')),
                        ('data_as_of', models.DateTimeField(verbose_name='data as of')),
                        ('requested_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='requested at')),
                        ('state', models.CharField(choices=[('queued', 'Queued'), ('running', 'Being built'), ('done', 'Ready'), ('failed', 'Failed')], default='queued', max_length=10, verbose_name='state')),
                        ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started at')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                        ('error', models.CharField(blank=True, max_length=500, verbose_name='error')),
                        ('page_count', models.PositiveIntegerField(blank=True, null=True, verbose_name='pages')),
                        ('sha256', models.CharField(blank=True, max_length=64, verbose_name='SHA-256 of the PDF')),
                        ('pdf', models.FileField(blank=True, max_length=255, storage=reports.models.report_storage, upload_to='%Y/%m/', verbose_name='PDF file')),
                        ('xlsx_sha256', models.CharField(blank=True, max_length=64, verbose_name='SHA-256 of the workbook')),
                        ('xlsx', models.FileField(blank=True, max_length=255, storage=reports.models.report_storage, upload_to='%Y/%m/', verbose_name='Excel workbook')),
                        ('body', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.body', verbose_name='body')),
                        ('period', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tasks.reportingperiod', verbose_name='reporting period')),
                        ('programme', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='programme.programme', verbose_name='programme')),
                        ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
                    ],
                    options={
                        'db_table': 'tasks_generatedreport',
                        'verbose_name': 'generated report',
                        'verbose_name_plural': 'generated reports',
                        'ordering': ['-requested_at', '-id'],
                        'indexes': [models.Index(fields=['kind', 'body'], name='generated_report_kind_body')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('kind__in', ['standing_committee', 'oversight', 'body'])), name='generated_report_kind_valid'), models.CheckConstraint(condition=models.Q(('state__in', ['queued', 'running', 'done', 'failed'])), name='generated_report_state_valid'), models.CheckConstraint(condition=models.Q(('period__isnull', True), ('as_of_date__isnull', True), _connector='XOR'), name='generated_report_period_or_date'), models.CheckConstraint(condition=models.Q(models.Q(('body__isnull', True), ('kind', 'standing_committee')), models.Q(models.Q(('kind', 'standing_committee'), _negated=True), ('body__isnull', False)), _connector='OR'), name='generated_report_body_iff_needed'), models.CheckConstraint(condition=models.Q(models.Q(('state', 'done'), _negated=True), models.Q(('finished_at__isnull', False), models.Q(('sha256', ''), _negated=True), models.Q(('pdf', ''), _negated=True)), _connector='OR'), name='generated_report_done_has_file')],
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name='generatedreport', table=None),
    ]
