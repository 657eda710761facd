"""Records' texts in three languages (django-modeltranslation).

Every translated text gets a column per language (``title_en``, ``title_zh_hans``,
``title_ru``). What was there is kept:

- the English text, which was the field itself, is copied into ``<field>_en``, in
  the records and in their history;
- the hand-made ``name_zh`` columns become ``name_zh_hans`` (renamed, so every
  value stays where it was), and ``name_ru`` is already modeltranslation's name;
- a city's name in its own script fills its Chinese or Russian name, where that is
  the language of its country and that name was empty (the name the reader of that
  language was shown until now).

Sectors and focus areas keep unique names, now per language, by constraints that
do not compare empty names.
"""

from django.db import migrations, models
from django.db.models import F

# The texts translated, as partnerships/translation.py registers them today.
TRANSLATED = {
    "city": ("name", "region", "description", "photo_caption"),
    "agreement": ("origin", "signed_place", "end_reason"),
    "signatory": ("title_at_time",),
    "visit": (
        "title",
        "purpose",
        "programme",
        "outcomes",
        "public_summary",
        "date_note",
    ),
    "delegationmember": ("title_at_time",),
    "collaboration": ("title", "summary"),
    "collaborationparticipant": ("description", "role"),
    "activity": ("title", "description"),
    "institution": ("name", "description"),
    "person": ("name", "current_title"),
    "sector": ("name",),
    "focusarea": ("name",),
    "source": ("title", "credit"),
}
LOCAL_LANGUAGE_COUNTRIES = {
    "name_zh_hans": ("CN", "TW", "HK", "MO", "SG"),
    "name_ru": ("RU", "BY", "KZ", "KG"),
}


def models_of(apps, name):
    """The model and its history, as this migration sees them."""
    yield apps.get_model("partnerships", name)
    yield apps.get_model("partnerships", f"historical{name}")


def into_languages(apps, schema_editor):
    for name, fields in TRANSLATED.items():
        for model in models_of(apps, name):
            model.objects.update(**{f"{field}_en": F(field) for field in fields})
    for model in models_of(apps, "city"):
        for column, countries in LOCAL_LANGUAGE_COUNTRIES.items():
            model.objects.filter(**{column: ""}, country__in=countries).exclude(
                name_local=""
            ).update(**{column: F("name_local")})


def out_of_languages(apps, schema_editor):
    # Back to the hand-made columns: English into the field.
    for name, fields in TRANSLATED.items():
        for model in models_of(apps, name):
            model.objects.update(**{field: F(f"{field}_en") for field in fields})


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0006_list_indexes"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="city",
            name="city_unique_name_country_region",
        ),
        migrations.RemoveConstraint(
            model_name="institution",
            name="institution_unique_name_city",
        ),
        migrations.RenameField(
            model_name="city",
            old_name="name_zh",
            new_name="name_zh_hans",
        ),
        migrations.RenameField(
            model_name="focusarea",
            old_name="name_zh",
            new_name="name_zh_hans",
        ),
        migrations.RenameField(
            model_name="historicalcity",
            old_name="name_zh",
            new_name="name_zh_hans",
        ),
        migrations.RenameField(
            model_name="historicalfocusarea",
            old_name="name_zh",
            new_name="name_zh_hans",
        ),
        migrations.RenameField(
            model_name="historicalinstitution",
            old_name="name_zh",
            new_name="name_zh_hans",
        ),
        migrations.RenameField(
            model_name="historicalperson",
            old_name="name_zh",
            new_name="name_zh_hans",
        ),
        migrations.RenameField(
            model_name="historicalsector",
            old_name="name_zh",
            new_name="name_zh_hans",
        ),
        migrations.RenameField(
            model_name="institution",
            old_name="name_zh",
            new_name="name_zh_hans",
        ),
        migrations.RenameField(
            model_name="person",
            old_name="name_zh",
            new_name="name_zh_hans",
        ),
        migrations.RenameField(
            model_name="sector",
            old_name="name_zh",
            new_name="name_zh_hans",
        ),
        migrations.AlterField(
            model_name="city",
            name="name_zh_hans",
            field=models.CharField(default="", max_length=200, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="focusarea",
            name="name_zh_hans",
            field=models.CharField(default="", max_length=200, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="historicalcity",
            name="name_zh_hans",
            field=models.CharField(default="", max_length=200, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="historicalfocusarea",
            name="name_zh_hans",
            field=models.CharField(default="", max_length=200, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="historicalinstitution",
            name="name_zh_hans",
            field=models.CharField(default="", max_length=300, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="historicalperson",
            name="name_zh_hans",
            field=models.CharField(default="", max_length=200, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="historicalsector",
            name="name_zh_hans",
            field=models.CharField(default="", max_length=100, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="institution",
            name="name_zh_hans",
            field=models.CharField(default="", max_length=300, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="person",
            name="name_zh_hans",
            field=models.CharField(default="", max_length=200, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="sector",
            name="name_zh_hans",
            field=models.CharField(default="", max_length=100, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="city",
            name="name",
            field=models.CharField(max_length=200, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="city",
            name="name_ru",
            field=models.CharField(default="", max_length=200, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="focusarea",
            name="name",
            field=models.CharField(max_length=200, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="focusarea",
            name="name_ru",
            field=models.CharField(default="", max_length=200, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="historicalcity",
            name="name",
            field=models.CharField(max_length=200, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="historicalcity",
            name="name_ru",
            field=models.CharField(default="", max_length=200, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="historicalfocusarea",
            name="name",
            field=models.CharField(max_length=200, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="historicalfocusarea",
            name="name_ru",
            field=models.CharField(default="", max_length=200, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="historicalinstitution",
            name="name",
            field=models.CharField(max_length=300, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="historicalinstitution",
            name="name_ru",
            field=models.CharField(default="", max_length=300, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="historicalperson",
            name="name",
            field=models.CharField(max_length=200, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="historicalsector",
            name="name",
            field=models.CharField(max_length=100, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="historicalsector",
            name="name_ru",
            field=models.CharField(default="", max_length=100, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="institution",
            name="name",
            field=models.CharField(max_length=300, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="institution",
            name="name_ru",
            field=models.CharField(default="", max_length=300, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="person",
            name="name",
            field=models.CharField(max_length=200, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="sector",
            name="name",
            field=models.CharField(max_length=100, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="sector",
            name="name_ru",
            field=models.CharField(default="", max_length=100, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="activity",
            name="description_en",
            field=models.TextField(
                blank=True, default="", verbose_name="public description"
            ),
        ),
        migrations.AddField(
            model_name="activity",
            name="description_ru",
            field=models.TextField(
                blank=True, default="", verbose_name="public description"
            ),
        ),
        migrations.AddField(
            model_name="activity",
            name="description_zh_hans",
            field=models.TextField(
                blank=True, default="", verbose_name="public description"
            ),
        ),
        migrations.AddField(
            model_name="activity",
            name="title_en",
            field=models.CharField(default="", max_length=300, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="activity",
            name="title_ru",
            field=models.CharField(default="", max_length=300, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="activity",
            name="title_zh_hans",
            field=models.CharField(default="", max_length=300, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="agreement",
            name="end_reason_en",
            field=models.TextField(
                blank=True, default="", verbose_name="reason it ended"
            ),
        ),
        migrations.AddField(
            model_name="agreement",
            name="end_reason_ru",
            field=models.TextField(
                blank=True, default="", verbose_name="reason it ended"
            ),
        ),
        migrations.AddField(
            model_name="agreement",
            name="end_reason_zh_hans",
            field=models.TextField(
                blank=True, default="", verbose_name="reason it ended"
            ),
        ),
        migrations.AddField(
            model_name="agreement",
            name="origin_en",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Why and how the partnership began (public).",
                verbose_name="how it began",
            ),
        ),
        migrations.AddField(
            model_name="agreement",
            name="origin_ru",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Why and how the partnership began (public).",
                verbose_name="how it began",
            ),
        ),
        migrations.AddField(
            model_name="agreement",
            name="origin_zh_hans",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Why and how the partnership began (public).",
                verbose_name="how it began",
            ),
        ),
        migrations.AddField(
            model_name="agreement",
            name="signed_place_en",
            field=models.CharField(
                blank=True, default="", max_length=200, verbose_name="signed at"
            ),
        ),
        migrations.AddField(
            model_name="agreement",
            name="signed_place_ru",
            field=models.CharField(
                blank=True, default="", max_length=200, verbose_name="signed at"
            ),
        ),
        migrations.AddField(
            model_name="agreement",
            name="signed_place_zh_hans",
            field=models.CharField(
                blank=True, default="", max_length=200, verbose_name="signed at"
            ),
        ),
        migrations.AddField(
            model_name="city",
            name="description_en",
            field=models.TextField(
                blank=True, default="", verbose_name="public description"
            ),
        ),
        migrations.AddField(
            model_name="city",
            name="description_ru",
            field=models.TextField(
                blank=True, default="", verbose_name="public description"
            ),
        ),
        migrations.AddField(
            model_name="city",
            name="description_zh_hans",
            field=models.TextField(
                blank=True, default="", verbose_name="public description"
            ),
        ),
        migrations.AddField(
            model_name="city",
            name="name_en",
            field=models.CharField(default="", max_length=200, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="city",
            name="photo_caption_en",
            field=models.CharField(
                blank=True, default="", max_length=300, verbose_name="photo caption"
            ),
        ),
        migrations.AddField(
            model_name="city",
            name="photo_caption_ru",
            field=models.CharField(
                blank=True, default="", max_length=300, verbose_name="photo caption"
            ),
        ),
        migrations.AddField(
            model_name="city",
            name="photo_caption_zh_hans",
            field=models.CharField(
                blank=True, default="", max_length=300, verbose_name="photo caption"
            ),
        ),
        migrations.AddField(
            model_name="city",
            name="region_en",
            field=models.CharField(
                blank=True,
                default="",
                help_text="Province, oblast, state or region.",
                max_length=200,
                verbose_name="region",
            ),
        ),
        migrations.AddField(
            model_name="city",
            name="region_ru",
            field=models.CharField(
                blank=True,
                default="",
                help_text="Province, oblast, state or region.",
                max_length=200,
                verbose_name="region",
            ),
        ),
        migrations.AddField(
            model_name="city",
            name="region_zh_hans",
            field=models.CharField(
                blank=True,
                default="",
                help_text="Province, oblast, state or region.",
                max_length=200,
                verbose_name="region",
            ),
        ),
        migrations.AddField(
            model_name="collaboration",
            name="summary_en",
            field=models.TextField(
                blank=True, default="", verbose_name="public summary"
            ),
        ),
        migrations.AddField(
            model_name="collaboration",
            name="summary_ru",
            field=models.TextField(
                blank=True, default="", verbose_name="public summary"
            ),
        ),
        migrations.AddField(
            model_name="collaboration",
            name="summary_zh_hans",
            field=models.TextField(
                blank=True, default="", verbose_name="public summary"
            ),
        ),
        migrations.AddField(
            model_name="collaboration",
            name="title_en",
            field=models.CharField(default="", max_length=300, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="collaboration",
            name="title_ru",
            field=models.CharField(default="", max_length=300, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="collaboration",
            name="title_zh_hans",
            field=models.CharField(default="", max_length=300, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="collaborationparticipant",
            name="description_en",
            field=models.CharField(
                blank=True,
                default="",
                help_text="For participants the source does not name, e.g. 'Voronezh news agencies'.",
                max_length=300,
                verbose_name="description",
            ),
        ),
        migrations.AddField(
            model_name="collaborationparticipant",
            name="description_ru",
            field=models.CharField(
                blank=True,
                default="",
                help_text="For participants the source does not name, e.g. 'Voronezh news agencies'.",
                max_length=300,
                verbose_name="description",
            ),
        ),
        migrations.AddField(
            model_name="collaborationparticipant",
            name="description_zh_hans",
            field=models.CharField(
                blank=True,
                default="",
                help_text="For participants the source does not name, e.g. 'Voronezh news agencies'.",
                max_length=300,
                verbose_name="description",
            ),
        ),
        migrations.AddField(
            model_name="collaborationparticipant",
            name="role_en",
            field=models.CharField(
                blank=True, default="", max_length=200, verbose_name="role"
            ),
        ),
        migrations.AddField(
            model_name="collaborationparticipant",
            name="role_ru",
            field=models.CharField(
                blank=True, default="", max_length=200, verbose_name="role"
            ),
        ),
        migrations.AddField(
            model_name="collaborationparticipant",
            name="role_zh_hans",
            field=models.CharField(
                blank=True, default="", max_length=200, verbose_name="role"
            ),
        ),
        migrations.AddField(
            model_name="delegationmember",
            name="title_at_time_en",
            field=models.CharField(
                blank=True,
                default="",
                help_text="E.g. 'Chairman of the Voronezh City Duma'.",
                max_length=300,
                verbose_name="title at the time",
            ),
        ),
        migrations.AddField(
            model_name="delegationmember",
            name="title_at_time_ru",
            field=models.CharField(
                blank=True,
                default="",
                help_text="E.g. 'Chairman of the Voronezh City Duma'.",
                max_length=300,
                verbose_name="title at the time",
            ),
        ),
        migrations.AddField(
            model_name="delegationmember",
            name="title_at_time_zh_hans",
            field=models.CharField(
                blank=True,
                default="",
                help_text="E.g. 'Chairman of the Voronezh City Duma'.",
                max_length=300,
                verbose_name="title at the time",
            ),
        ),
        migrations.AddField(
            model_name="focusarea",
            name="name_en",
            field=models.CharField(default="", max_length=200, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalactivity",
            name="description_en",
            field=models.TextField(
                blank=True, default="", verbose_name="public description"
            ),
        ),
        migrations.AddField(
            model_name="historicalactivity",
            name="description_ru",
            field=models.TextField(
                blank=True, default="", verbose_name="public description"
            ),
        ),
        migrations.AddField(
            model_name="historicalactivity",
            name="description_zh_hans",
            field=models.TextField(
                blank=True, default="", verbose_name="public description"
            ),
        ),
        migrations.AddField(
            model_name="historicalactivity",
            name="title_en",
            field=models.CharField(default="", max_length=300, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="historicalactivity",
            name="title_ru",
            field=models.CharField(default="", max_length=300, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="historicalactivity",
            name="title_zh_hans",
            field=models.CharField(default="", max_length=300, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="historicalagreement",
            name="end_reason_en",
            field=models.TextField(
                blank=True, default="", verbose_name="reason it ended"
            ),
        ),
        migrations.AddField(
            model_name="historicalagreement",
            name="end_reason_ru",
            field=models.TextField(
                blank=True, default="", verbose_name="reason it ended"
            ),
        ),
        migrations.AddField(
            model_name="historicalagreement",
            name="end_reason_zh_hans",
            field=models.TextField(
                blank=True, default="", verbose_name="reason it ended"
            ),
        ),
        migrations.AddField(
            model_name="historicalagreement",
            name="origin_en",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Why and how the partnership began (public).",
                verbose_name="how it began",
            ),
        ),
        migrations.AddField(
            model_name="historicalagreement",
            name="origin_ru",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Why and how the partnership began (public).",
                verbose_name="how it began",
            ),
        ),
        migrations.AddField(
            model_name="historicalagreement",
            name="origin_zh_hans",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Why and how the partnership began (public).",
                verbose_name="how it began",
            ),
        ),
        migrations.AddField(
            model_name="historicalagreement",
            name="signed_place_en",
            field=models.CharField(
                blank=True, default="", max_length=200, verbose_name="signed at"
            ),
        ),
        migrations.AddField(
            model_name="historicalagreement",
            name="signed_place_ru",
            field=models.CharField(
                blank=True, default="", max_length=200, verbose_name="signed at"
            ),
        ),
        migrations.AddField(
            model_name="historicalagreement",
            name="signed_place_zh_hans",
            field=models.CharField(
                blank=True, default="", max_length=200, verbose_name="signed at"
            ),
        ),
        migrations.AddField(
            model_name="historicalcity",
            name="description_en",
            field=models.TextField(
                blank=True, default="", verbose_name="public description"
            ),
        ),
        migrations.AddField(
            model_name="historicalcity",
            name="description_ru",
            field=models.TextField(
                blank=True, default="", verbose_name="public description"
            ),
        ),
        migrations.AddField(
            model_name="historicalcity",
            name="description_zh_hans",
            field=models.TextField(
                blank=True, default="", verbose_name="public description"
            ),
        ),
        migrations.AddField(
            model_name="historicalcity",
            name="name_en",
            field=models.CharField(default="", max_length=200, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalcity",
            name="photo_caption_en",
            field=models.CharField(
                blank=True, default="", max_length=300, verbose_name="photo caption"
            ),
        ),
        migrations.AddField(
            model_name="historicalcity",
            name="photo_caption_ru",
            field=models.CharField(
                blank=True, default="", max_length=300, verbose_name="photo caption"
            ),
        ),
        migrations.AddField(
            model_name="historicalcity",
            name="photo_caption_zh_hans",
            field=models.CharField(
                blank=True, default="", max_length=300, verbose_name="photo caption"
            ),
        ),
        migrations.AddField(
            model_name="historicalcity",
            name="region_en",
            field=models.CharField(
                blank=True,
                default="",
                help_text="Province, oblast, state or region.",
                max_length=200,
                verbose_name="region",
            ),
        ),
        migrations.AddField(
            model_name="historicalcity",
            name="region_ru",
            field=models.CharField(
                blank=True,
                default="",
                help_text="Province, oblast, state or region.",
                max_length=200,
                verbose_name="region",
            ),
        ),
        migrations.AddField(
            model_name="historicalcity",
            name="region_zh_hans",
            field=models.CharField(
                blank=True,
                default="",
                help_text="Province, oblast, state or region.",
                max_length=200,
                verbose_name="region",
            ),
        ),
        migrations.AddField(
            model_name="historicalcollaboration",
            name="summary_en",
            field=models.TextField(
                blank=True, default="", verbose_name="public summary"
            ),
        ),
        migrations.AddField(
            model_name="historicalcollaboration",
            name="summary_ru",
            field=models.TextField(
                blank=True, default="", verbose_name="public summary"
            ),
        ),
        migrations.AddField(
            model_name="historicalcollaboration",
            name="summary_zh_hans",
            field=models.TextField(
                blank=True, default="", verbose_name="public summary"
            ),
        ),
        migrations.AddField(
            model_name="historicalcollaboration",
            name="title_en",
            field=models.CharField(default="", max_length=300, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="historicalcollaboration",
            name="title_ru",
            field=models.CharField(default="", max_length=300, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="historicalcollaboration",
            name="title_zh_hans",
            field=models.CharField(default="", max_length=300, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="historicalcollaborationparticipant",
            name="description_en",
            field=models.CharField(
                blank=True,
                default="",
                help_text="For participants the source does not name, e.g. 'Voronezh news agencies'.",
                max_length=300,
                verbose_name="description",
            ),
        ),
        migrations.AddField(
            model_name="historicalcollaborationparticipant",
            name="description_ru",
            field=models.CharField(
                blank=True,
                default="",
                help_text="For participants the source does not name, e.g. 'Voronezh news agencies'.",
                max_length=300,
                verbose_name="description",
            ),
        ),
        migrations.AddField(
            model_name="historicalcollaborationparticipant",
            name="description_zh_hans",
            field=models.CharField(
                blank=True,
                default="",
                help_text="For participants the source does not name, e.g. 'Voronezh news agencies'.",
                max_length=300,
                verbose_name="description",
            ),
        ),
        migrations.AddField(
            model_name="historicalcollaborationparticipant",
            name="role_en",
            field=models.CharField(
                blank=True, default="", max_length=200, verbose_name="role"
            ),
        ),
        migrations.AddField(
            model_name="historicalcollaborationparticipant",
            name="role_ru",
            field=models.CharField(
                blank=True, default="", max_length=200, verbose_name="role"
            ),
        ),
        migrations.AddField(
            model_name="historicalcollaborationparticipant",
            name="role_zh_hans",
            field=models.CharField(
                blank=True, default="", max_length=200, verbose_name="role"
            ),
        ),
        migrations.AddField(
            model_name="historicaldelegationmember",
            name="title_at_time_en",
            field=models.CharField(
                blank=True,
                default="",
                help_text="E.g. 'Chairman of the Voronezh City Duma'.",
                max_length=300,
                verbose_name="title at the time",
            ),
        ),
        migrations.AddField(
            model_name="historicaldelegationmember",
            name="title_at_time_ru",
            field=models.CharField(
                blank=True,
                default="",
                help_text="E.g. 'Chairman of the Voronezh City Duma'.",
                max_length=300,
                verbose_name="title at the time",
            ),
        ),
        migrations.AddField(
            model_name="historicaldelegationmember",
            name="title_at_time_zh_hans",
            field=models.CharField(
                blank=True,
                default="",
                help_text="E.g. 'Chairman of the Voronezh City Duma'.",
                max_length=300,
                verbose_name="title at the time",
            ),
        ),
        migrations.AddField(
            model_name="historicalfocusarea",
            name="name_en",
            field=models.CharField(default="", max_length=200, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalinstitution",
            name="description_en",
            field=models.TextField(
                blank=True, default="", verbose_name="public description"
            ),
        ),
        migrations.AddField(
            model_name="historicalinstitution",
            name="description_ru",
            field=models.TextField(
                blank=True, default="", verbose_name="public description"
            ),
        ),
        migrations.AddField(
            model_name="historicalinstitution",
            name="description_zh_hans",
            field=models.TextField(
                blank=True, default="", verbose_name="public description"
            ),
        ),
        migrations.AddField(
            model_name="historicalinstitution",
            name="name_en",
            field=models.CharField(default="", max_length=300, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="current_title_en",
            field=models.CharField(
                blank=True, default="", max_length=300, verbose_name="current title"
            ),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="current_title_ru",
            field=models.CharField(
                blank=True, default="", max_length=300, verbose_name="current title"
            ),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="current_title_zh_hans",
            field=models.CharField(
                blank=True, default="", max_length=300, verbose_name="current title"
            ),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="name_en",
            field=models.CharField(default="", max_length=200, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="name_ru",
            field=models.CharField(default="", max_length=200, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalsector",
            name="name_en",
            field=models.CharField(default="", max_length=100, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalsignatory",
            name="title_at_time_en",
            field=models.CharField(
                blank=True, default="", max_length=300, verbose_name="title at the time"
            ),
        ),
        migrations.AddField(
            model_name="historicalsignatory",
            name="title_at_time_ru",
            field=models.CharField(
                blank=True, default="", max_length=300, verbose_name="title at the time"
            ),
        ),
        migrations.AddField(
            model_name="historicalsignatory",
            name="title_at_time_zh_hans",
            field=models.CharField(
                blank=True, default="", max_length=300, verbose_name="title at the time"
            ),
        ),
        migrations.AddField(
            model_name="historicalsource",
            name="credit_en",
            field=models.CharField(
                blank=True,
                default="",
                help_text="How a public page credits it, e.g. 'Source: Foreign Affairs …'.",
                max_length=300,
                verbose_name="credit line",
            ),
        ),
        migrations.AddField(
            model_name="historicalsource",
            name="credit_ru",
            field=models.CharField(
                blank=True,
                default="",
                help_text="How a public page credits it, e.g. 'Source: Foreign Affairs …'.",
                max_length=300,
                verbose_name="credit line",
            ),
        ),
        migrations.AddField(
            model_name="historicalsource",
            name="credit_zh_hans",
            field=models.CharField(
                blank=True,
                default="",
                help_text="How a public page credits it, e.g. 'Source: Foreign Affairs …'.",
                max_length=300,
                verbose_name="credit line",
            ),
        ),
        migrations.AddField(
            model_name="historicalsource",
            name="title_en",
            field=models.CharField(default="", max_length=300, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="historicalsource",
            name="title_ru",
            field=models.CharField(default="", max_length=300, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="historicalsource",
            name="title_zh_hans",
            field=models.CharField(default="", max_length=300, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="historicalvisit",
            name="date_note_en",
            field=models.CharField(
                blank=True,
                default="",
                help_text="E.g. 'Several trips; the source gives no dates.'",
                max_length=300,
                verbose_name="about the dates",
            ),
        ),
        migrations.AddField(
            model_name="historicalvisit",
            name="date_note_ru",
            field=models.CharField(
                blank=True,
                default="",
                help_text="E.g. 'Several trips; the source gives no dates.'",
                max_length=300,
                verbose_name="about the dates",
            ),
        ),
        migrations.AddField(
            model_name="historicalvisit",
            name="date_note_zh_hans",
            field=models.CharField(
                blank=True,
                default="",
                help_text="E.g. 'Several trips; the source gives no dates.'",
                max_length=300,
                verbose_name="about the dates",
            ),
        ),
        migrations.AddField(
            model_name="historicalvisit",
            name="outcomes_en",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Agreements signed, projects started.",
                verbose_name="outcomes",
            ),
        ),
        migrations.AddField(
            model_name="historicalvisit",
            name="outcomes_ru",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Agreements signed, projects started.",
                verbose_name="outcomes",
            ),
        ),
        migrations.AddField(
            model_name="historicalvisit",
            name="outcomes_zh_hans",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Agreements signed, projects started.",
                verbose_name="outcomes",
            ),
        ),
        migrations.AddField(
            model_name="historicalvisit",
            name="programme_en",
            field=models.TextField(blank=True, default="", verbose_name="programme"),
        ),
        migrations.AddField(
            model_name="historicalvisit",
            name="programme_ru",
            field=models.TextField(blank=True, default="", verbose_name="programme"),
        ),
        migrations.AddField(
            model_name="historicalvisit",
            name="programme_zh_hans",
            field=models.TextField(blank=True, default="", verbose_name="programme"),
        ),
        migrations.AddField(
            model_name="historicalvisit",
            name="public_summary_en",
            field=models.TextField(
                blank=True, default="", verbose_name="public summary"
            ),
        ),
        migrations.AddField(
            model_name="historicalvisit",
            name="public_summary_ru",
            field=models.TextField(
                blank=True, default="", verbose_name="public summary"
            ),
        ),
        migrations.AddField(
            model_name="historicalvisit",
            name="public_summary_zh_hans",
            field=models.TextField(
                blank=True, default="", verbose_name="public summary"
            ),
        ),
        migrations.AddField(
            model_name="historicalvisit",
            name="purpose_en",
            field=models.TextField(blank=True, default="", verbose_name="purpose"),
        ),
        migrations.AddField(
            model_name="historicalvisit",
            name="purpose_ru",
            field=models.TextField(blank=True, default="", verbose_name="purpose"),
        ),
        migrations.AddField(
            model_name="historicalvisit",
            name="purpose_zh_hans",
            field=models.TextField(blank=True, default="", verbose_name="purpose"),
        ),
        migrations.AddField(
            model_name="historicalvisit",
            name="title_en",
            field=models.CharField(
                blank=True,
                default="",
                help_text="A short public headline; left empty, one is made from the facts.",
                max_length=300,
                verbose_name="title",
            ),
        ),
        migrations.AddField(
            model_name="historicalvisit",
            name="title_ru",
            field=models.CharField(
                blank=True,
                default="",
                help_text="A short public headline; left empty, one is made from the facts.",
                max_length=300,
                verbose_name="title",
            ),
        ),
        migrations.AddField(
            model_name="historicalvisit",
            name="title_zh_hans",
            field=models.CharField(
                blank=True,
                default="",
                help_text="A short public headline; left empty, one is made from the facts.",
                max_length=300,
                verbose_name="title",
            ),
        ),
        migrations.AddField(
            model_name="institution",
            name="description_en",
            field=models.TextField(
                blank=True, default="", verbose_name="public description"
            ),
        ),
        migrations.AddField(
            model_name="institution",
            name="description_ru",
            field=models.TextField(
                blank=True, default="", verbose_name="public description"
            ),
        ),
        migrations.AddField(
            model_name="institution",
            name="description_zh_hans",
            field=models.TextField(
                blank=True, default="", verbose_name="public description"
            ),
        ),
        migrations.AddField(
            model_name="institution",
            name="name_en",
            field=models.CharField(default="", max_length=300, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="person",
            name="current_title_en",
            field=models.CharField(
                blank=True, default="", max_length=300, verbose_name="current title"
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="current_title_ru",
            field=models.CharField(
                blank=True, default="", max_length=300, verbose_name="current title"
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="current_title_zh_hans",
            field=models.CharField(
                blank=True, default="", max_length=300, verbose_name="current title"
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="name_en",
            field=models.CharField(default="", max_length=200, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="person",
            name="name_ru",
            field=models.CharField(default="", max_length=200, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="sector",
            name="name_en",
            field=models.CharField(default="", max_length=100, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="signatory",
            name="title_at_time_en",
            field=models.CharField(
                blank=True, default="", max_length=300, verbose_name="title at the time"
            ),
        ),
        migrations.AddField(
            model_name="signatory",
            name="title_at_time_ru",
            field=models.CharField(
                blank=True, default="", max_length=300, verbose_name="title at the time"
            ),
        ),
        migrations.AddField(
            model_name="signatory",
            name="title_at_time_zh_hans",
            field=models.CharField(
                blank=True, default="", max_length=300, verbose_name="title at the time"
            ),
        ),
        migrations.AddField(
            model_name="source",
            name="credit_en",
            field=models.CharField(
                blank=True,
                default="",
                help_text="How a public page credits it, e.g. 'Source: Foreign Affairs …'.",
                max_length=300,
                verbose_name="credit line",
            ),
        ),
        migrations.AddField(
            model_name="source",
            name="credit_ru",
            field=models.CharField(
                blank=True,
                default="",
                help_text="How a public page credits it, e.g. 'Source: Foreign Affairs …'.",
                max_length=300,
                verbose_name="credit line",
            ),
        ),
        migrations.AddField(
            model_name="source",
            name="credit_zh_hans",
            field=models.CharField(
                blank=True,
                default="",
                help_text="How a public page credits it, e.g. 'Source: Foreign Affairs …'.",
                max_length=300,
                verbose_name="credit line",
            ),
        ),
        migrations.AddField(
            model_name="source",
            name="title_en",
            field=models.CharField(default="", max_length=300, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="source",
            name="title_ru",
            field=models.CharField(default="", max_length=300, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="source",
            name="title_zh_hans",
            field=models.CharField(default="", max_length=300, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="visit",
            name="date_note_en",
            field=models.CharField(
                blank=True,
                default="",
                help_text="E.g. 'Several trips; the source gives no dates.'",
                max_length=300,
                verbose_name="about the dates",
            ),
        ),
        migrations.AddField(
            model_name="visit",
            name="date_note_ru",
            field=models.CharField(
                blank=True,
                default="",
                help_text="E.g. 'Several trips; the source gives no dates.'",
                max_length=300,
                verbose_name="about the dates",
            ),
        ),
        migrations.AddField(
            model_name="visit",
            name="date_note_zh_hans",
            field=models.CharField(
                blank=True,
                default="",
                help_text="E.g. 'Several trips; the source gives no dates.'",
                max_length=300,
                verbose_name="about the dates",
            ),
        ),
        migrations.AddField(
            model_name="visit",
            name="outcomes_en",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Agreements signed, projects started.",
                verbose_name="outcomes",
            ),
        ),
        migrations.AddField(
            model_name="visit",
            name="outcomes_ru",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Agreements signed, projects started.",
                verbose_name="outcomes",
            ),
        ),
        migrations.AddField(
            model_name="visit",
            name="outcomes_zh_hans",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Agreements signed, projects started.",
                verbose_name="outcomes",
            ),
        ),
        migrations.AddField(
            model_name="visit",
            name="programme_en",
            field=models.TextField(blank=True, default="", verbose_name="programme"),
        ),
        migrations.AddField(
            model_name="visit",
            name="programme_ru",
            field=models.TextField(blank=True, default="", verbose_name="programme"),
        ),
        migrations.AddField(
            model_name="visit",
            name="programme_zh_hans",
            field=models.TextField(blank=True, default="", verbose_name="programme"),
        ),
        migrations.AddField(
            model_name="visit",
            name="public_summary_en",
            field=models.TextField(
                blank=True, default="", verbose_name="public summary"
            ),
        ),
        migrations.AddField(
            model_name="visit",
            name="public_summary_ru",
            field=models.TextField(
                blank=True, default="", verbose_name="public summary"
            ),
        ),
        migrations.AddField(
            model_name="visit",
            name="public_summary_zh_hans",
            field=models.TextField(
                blank=True, default="", verbose_name="public summary"
            ),
        ),
        migrations.AddField(
            model_name="visit",
            name="purpose_en",
            field=models.TextField(blank=True, default="", verbose_name="purpose"),
        ),
        migrations.AddField(
            model_name="visit",
            name="purpose_ru",
            field=models.TextField(blank=True, default="", verbose_name="purpose"),
        ),
        migrations.AddField(
            model_name="visit",
            name="purpose_zh_hans",
            field=models.TextField(blank=True, default="", verbose_name="purpose"),
        ),
        migrations.AddField(
            model_name="visit",
            name="title_en",
            field=models.CharField(
                blank=True,
                default="",
                help_text="A short public headline; left empty, one is made from the facts.",
                max_length=300,
                verbose_name="title",
            ),
        ),
        migrations.AddField(
            model_name="visit",
            name="title_ru",
            field=models.CharField(
                blank=True,
                default="",
                help_text="A short public headline; left empty, one is made from the facts.",
                max_length=300,
                verbose_name="title",
            ),
        ),
        migrations.AddField(
            model_name="visit",
            name="title_zh_hans",
            field=models.CharField(
                blank=True,
                default="",
                help_text="A short public headline; left empty, one is made from the facts.",
                max_length=300,
                verbose_name="title",
            ),
        ),
        migrations.RunPython(into_languages, out_of_languages),
        migrations.AddConstraint(
            model_name="city",
            constraint=models.UniqueConstraint(
                fields=("name_en", "country", "region_en"),
                name="city_unique_name_country_region",
                violation_error_message="A city with this name already exists in this country and region.",
            ),
        ),
        migrations.AddConstraint(
            model_name="focusarea",
            constraint=models.UniqueConstraint(
                condition=models.Q(("name_en", ""), _negated=True),
                fields=("name_en",),
                name="focusarea_unique_name_en",
                violation_error_message="Another record has this name.",
            ),
        ),
        migrations.AddConstraint(
            model_name="focusarea",
            constraint=models.UniqueConstraint(
                condition=models.Q(("name_zh_hans", ""), _negated=True),
                fields=("name_zh_hans",),
                name="focusarea_unique_name_zh_hans",
                violation_error_message="Another record has this name.",
            ),
        ),
        migrations.AddConstraint(
            model_name="focusarea",
            constraint=models.UniqueConstraint(
                condition=models.Q(("name_ru", ""), _negated=True),
                fields=("name_ru",),
                name="focusarea_unique_name_ru",
                violation_error_message="Another record has this name.",
            ),
        ),
        migrations.AddConstraint(
            model_name="institution",
            constraint=models.UniqueConstraint(
                fields=("name_en", "city"),
                name="institution_unique_name_city",
                violation_error_message="An institution with this name already exists in this city.",
            ),
        ),
        migrations.AddConstraint(
            model_name="sector",
            constraint=models.UniqueConstraint(
                condition=models.Q(("name_en", ""), _negated=True),
                fields=("name_en",),
                name="sector_unique_name_en",
                violation_error_message="Another record has this name.",
            ),
        ),
        migrations.AddConstraint(
            model_name="sector",
            constraint=models.UniqueConstraint(
                condition=models.Q(("name_zh_hans", ""), _negated=True),
                fields=("name_zh_hans",),
                name="sector_unique_name_zh_hans",
                violation_error_message="Another record has this name.",
            ),
        ),
        migrations.AddConstraint(
            model_name="sector",
            constraint=models.UniqueConstraint(
                condition=models.Q(("name_ru", ""), _negated=True),
                fields=("name_ru",),
                name="sector_unique_name_ru",
                violation_error_message="Another record has this name.",
            ),
        ),
        migrations.AlterModelOptions(
            name="agreement",
            options={
                "default_permissions": (
                    "add",
                    "change",
                    "delete",
                    "view",
                    "import",
                    "export",
                ),
                "ordering": ["-signed_on", "partner__name_en"],
                "permissions": [
                    ("publish_agreement", "Can publish and unpublish agreements"),
                    ("view_report", "Can see and download the period report"),
                ],
                "verbose_name": "agreement",
                "verbose_name_plural": "agreements",
            },
        ),
        migrations.AlterModelOptions(
            name="city",
            options={
                "default_permissions": (
                    "add",
                    "change",
                    "delete",
                    "view",
                    "import",
                    "export",
                ),
                "ordering": ["name_en", "country"],
                "permissions": [("publish_city", "Can publish and unpublish cities")],
                "verbose_name": "city",
                "verbose_name_plural": "cities",
            },
        ),
        migrations.AlterModelOptions(
            name="collaboration",
            options={
                "default_permissions": (
                    "add",
                    "change",
                    "delete",
                    "view",
                    "import",
                    "export",
                ),
                "ordering": ["sector__position", "title_en"],
                "permissions": [
                    (
                        "publish_collaboration",
                        "Can publish and unpublish collaborations",
                    )
                ],
                "verbose_name": "collaboration",
                "verbose_name_plural": "collaborations",
            },
        ),
        migrations.AlterModelOptions(
            name="focusarea",
            options={
                "ordering": ["name_en"],
                "verbose_name": "focus area",
                "verbose_name_plural": "focus areas",
            },
        ),
        migrations.AlterModelOptions(
            name="institution",
            options={
                "default_permissions": (
                    "add",
                    "change",
                    "delete",
                    "view",
                    "import",
                    "export",
                ),
                "ordering": ["name_en"],
                "permissions": [
                    ("publish_institution", "Can publish and unpublish institutions")
                ],
                "verbose_name": "institution",
                "verbose_name_plural": "institutions",
            },
        ),
        migrations.AlterModelOptions(
            name="person",
            options={
                "ordering": ["name_en"],
                "verbose_name": "person",
                "verbose_name_plural": "people",
            },
        ),
        migrations.AlterModelOptions(
            name="sector",
            options={
                "ordering": ["position", "name_en"],
                "verbose_name": "sector",
                "verbose_name_plural": "sectors",
            },
        ),
    ]
