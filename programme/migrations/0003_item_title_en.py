import json
from pathlib import Path

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

REASON = "English titles of the task groups (titles-en.json)"


def titles_en_fill(apps, schema_editor):
    """A database loaded before the field existed gets the English titles its programmes'
    fixtures now carry, each change recorded in the item's history. A new database gets them
    when the fixtures are loaded."""
    Item = apps.get_model("programme", "Item")
    HistoricalItem = apps.get_model("programme", "HistoricalItem")
    fields = [field.attname for field in Item._meta.concrete_fields]
    now = timezone.now()
    for path in sorted(Path(settings.FIXTURES_DIR).glob("programmes/*/titles-en.json")):
        titles = json.loads(path.read_text(encoding="utf-8"))
        items = Item.objects.filter(
            programme__code=path.parent.name, key__in=titles, title_en=""
        )
        for item in items:
            item.title_en = titles[item.key]
            item.save(update_fields=["title_en"])
            HistoricalItem.objects.create(
                **{name: getattr(item, name) for name in fields},
                history_date=now,
                history_type="~",
                history_change_reason=REASON,
                history_user=None,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0002_target_indicator_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalitem",
            name="title_en",
            field=models.CharField(
                blank=True,
                help_text="The heading in English, shown on the English pages (task groups).",
                max_length=255,
                verbose_name="English title",
            ),
        ),
        migrations.AddField(
            model_name="item",
            name="title_en",
            field=models.CharField(
                blank=True,
                help_text="The heading in English, shown on the English pages (task groups).",
                max_length=255,
                verbose_name="English title",
            ),
        ),
        migrations.RunPython(titles_en_fill, migrations.RunPython.noop),
    ]
