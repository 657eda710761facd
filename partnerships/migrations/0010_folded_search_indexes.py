"""Trigram indexes on the searched texts as searches now compare them.

Searches read ``field__fold`` (``partnerships/models/search.py``): on PostgreSQL
the column goes through ``TRANSLATE(UPPER(col COLLATE "und-x-icu"), ...)``, so
the indexes of 0006 and 0008 on ``UPPER(col)`` no longer serve them. Each is
made again, under its own name, on the folded expression. PostgreSQL only, as
before; the expression is written here as ``folded_sql`` writes it today.
"""

from django.db import migrations

# (index, table, column): every trigram index 0006 and 0008 left.
INDEXES = [
    ("city_name_en_trgm", "partnerships_city", "name_en"),
    ("city_name_zh_trgm", "partnerships_city", "name_zh_hans"),
    ("city_name_ru_trgm", "partnerships_city", "name_ru"),
    ("city_name_local_trgm", "partnerships_city", "name_local"),
    ("person_name_en_trgm", "partnerships_person", "name_en"),
    ("person_name_zh_trgm", "partnerships_person", "name_zh_hans"),
    ("person_name_ru_trgm", "partnerships_person", "name_ru"),
    ("person_name_local_trgm", "partnerships_person", "name_local"),
    ("institution_name_en_trgm", "partnerships_institution", "name_en"),
    ("institution_name_zh_trgm", "partnerships_institution", "name_zh_hans"),
    ("institution_name_ru_trgm", "partnerships_institution", "name_ru"),
    ("institution_name_local_trgm", "partnerships_institution", "name_local"),
    ("institution_alias_trgm", "partnerships_institutionalias", "name"),
    *(
        (
            f"{table.removeprefix('partnerships_')}_{field}_{code}_trgm",
            table,
            f"{field}_{code}",
        )
        for table, field in (
            ("partnerships_visit", "title"),
            ("partnerships_visit", "purpose"),
            ("partnerships_delegationmember", "title_at_time"),
            ("partnerships_collaboration", "title"),
        )
        for code in ("en", "zh_hans", "ru")
    ),
]


def folded(column):
    return (
        f'TRANSLATE(UPPER(("{column}")::text COLLATE "und-x-icu"), '
        f"'Ё' || U&'\\0301', 'Е')"
    )


def build(expression):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, table, column in INDEXES:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
            schema_editor.execute(
                f'CREATE INDEX "{name}" ON "{table}" '
                f"USING gin (({expression(column)}) gin_trgm_ops)"
            )

    return run


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0009_activity_date_note_languages")]
    operations = [
        migrations.RunPython(
            build(folded), build(lambda column: f'UPPER("{column}"::text)')
        )
    ]
