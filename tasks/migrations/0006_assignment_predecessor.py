# The assignment of an ended body that an assignment carries on after a reorganisation.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tasks', '0005_first_submission'),
    ]

    operations = [
        migrations.AddField(
            model_name='assignment',
            name='predecessor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='successors', to='tasks.assignment', verbose_name='moved from'),
        ),
        migrations.AddField(
            model_name='historicalassignment',
            name='predecessor',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tasks.assignment', verbose_name='moved from'),
        ),
        migrations.AddConstraint(
            model_name='assignment',
            constraint=models.CheckConstraint(condition=models.Q(('predecessor', models.F('id')), _negated=True), name='assignment_not_its_own_predecessor'),
        ),
    ]
