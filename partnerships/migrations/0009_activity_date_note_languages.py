"""An activity's note about its dates is kept per language, as a visit's is."""

from django.db import migrations, models
from django.db.models import F


def into_english(apps, schema_editor):
    for name in ("Activity", "HistoricalActivity"):
        model = apps.get_model("partnerships", name)
        model.objects.update(date_note_en=F("date_note"))


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0008_translation_search_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="date_note_en",
            field=models.CharField(
                blank=True, default="", max_length=300, verbose_name="about the dates"
            ),
        ),
        migrations.AddField(
            model_name="activity",
            name="date_note_ru",
            field=models.CharField(
                blank=True, default="", max_length=300, verbose_name="about the dates"
            ),
        ),
        migrations.AddField(
            model_name="activity",
            name="date_note_zh_hans",
            field=models.CharField(
                blank=True, default="", max_length=300, verbose_name="about the dates"
            ),
        ),
        migrations.AddField(
            model_name="historicalactivity",
            name="date_note_en",
            field=models.CharField(
                blank=True, default="", max_length=300, verbose_name="about the dates"
            ),
        ),
        migrations.AddField(
            model_name="historicalactivity",
            name="date_note_ru",
            field=models.CharField(
                blank=True, default="", max_length=300, verbose_name="about the dates"
            ),
        ),
        migrations.AddField(
            model_name="historicalactivity",
            name="date_note_zh_hans",
            field=models.CharField(
                blank=True, default="", max_length=300, verbose_name="about the dates"
            ),
        ),
        migrations.RunPython(into_english, migrations.RunPython.noop),
    ]
