"""Generated reports moved to the reports app (reports.0001_initial takes the table, rows and
all): the model leaves this app's state only; the table is not dropped."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('tasks', '0003_vietnamese_name_order'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='GeneratedReport')],
        ),
    ]
