"""Trigram indexes on the per-language texts the admin searches (PostgreSQL only).

Searches now read the per-language columns (``name_en``, ``title_en``…), so the
indexes of 0006 on the original columns move to them, and the names added in
other languages get their own. As in 0006: on ``UPPER(col)``, the expression
Django's ``icontains`` uses, and not in ``Meta.indexes``, which would create them
on SQLite too.
"""

from django.db import migrations

LANGUAGES = ("en", "zh_hans", "ru")
# (table, column) searched in every language; 0006's index on the column, if any.
SEARCHED = [
    ("partnerships_visit", "title", "visit_title_trgm"),
    ("partnerships_visit", "purpose", "visit_purpose_trgm"),
    ("partnerships_city", "name", "city_name_trgm"),
    ("partnerships_person", "name", "person_name_trgm"),
    ("partnerships_delegationmember", "title_at_time", "member_title_trgm"),
    ("partnerships_institution", "name", "institution_name_trgm"),
    ("partnerships_collaboration", "title", "collaboration_title_trgm"),
]
# 0006 indexed the hand-made name_zh_hans columns, renamed to name_zh_hans by 0007;
# the rename carried those indexes along.
ALREADY = {
    ("partnerships_city", "name_zh_hans"),
    ("partnerships_city", "name_ru"),
    ("partnerships_person", "name_zh_hans"),
    ("partnerships_institution", "name_zh_hans"),
}


def indexes():
    for table, field, _old in SEARCHED:
        for language in LANGUAGES:
            column = f"{field}_{language}"
            if (table, column) not in ALREADY:
                yield (
                    f"{table.removeprefix('partnerships_')}_{column}_trgm",
                    table,
                    column,
                )


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, _field, old in SEARCHED:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{old}"')
    for name, table, column in indexes():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in indexes():
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    for table, field, old in SEARCHED:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{old}" ON "{table}" '
            f'USING gin ((UPPER("{field}"::text)) gin_trgm_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0007_translations")]
    operations = [migrations.RunPython(create, drop)]
