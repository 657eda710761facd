"""Indexes for the admin's lists: the visits' order, and name searches.

The visits' default order (latest first, undated last) needs ``NULLS LAST`` on
PostgreSQL, which a backward scan of the plain ``start_date`` index cannot give;
SQLite sorts NULL lowest, so ``DESC`` alone puts undated visits last there and
SQLite refuses ``NULLS LAST`` in an index. Not in ``Meta.indexes`` for that reason.

Trigram indexes for the admin's name searches (PostgreSQL only).

Django's ``icontains`` on PostgreSQL is ``UPPER("col"::text) LIKE UPPER(%s)``, so the
indexes are on that expression. SQLite has no GIN indexes and searches its (small)
tables by scanning; ``pg_trgm`` is a trusted extension, so the database owner may
create it. Not in ``Meta.indexes``, which would create them on SQLite too.
"""

from django.db import migrations

TRIGRAM_INDEXES = [
    ("visit_title_trgm", "partnerships_visit", "title"),
    ("visit_purpose_trgm", "partnerships_visit", "purpose"),
    ("city_name_trgm", "partnerships_city", "name"),
    ("city_name_local_trgm", "partnerships_city", "name_local"),
    ("city_name_zh_trgm", "partnerships_city", "name_zh"),
    ("city_name_ru_trgm", "partnerships_city", "name_ru"),
    ("person_name_trgm", "partnerships_person", "name"),
    ("person_name_local_trgm", "partnerships_person", "name_local"),
    ("person_name_zh_trgm", "partnerships_person", "name_zh"),
    ("member_title_trgm", "partnerships_delegationmember", "title_at_time"),
    ("institution_name_trgm", "partnerships_institution", "name"),
    ("institution_name_local_trgm", "partnerships_institution", "name_local"),
    ("institution_name_zh_trgm", "partnerships_institution", "name_zh"),
    ("institution_alias_trgm", "partnerships_institutionalias", "name"),
    ("collaboration_title_trgm", "partnerships_collaboration", "title"),
]


ORDER_INDEX = "visit_default_order"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{ORDER_INDEX}" ON "partnerships_visit" '
            '("start_date" DESC, "id" DESC)'
        )
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{ORDER_INDEX}" ON "partnerships_visit" '
        '("start_date" DESC NULLS LAST, "id" DESC)'
    )
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    schema_editor.execute(f'DROP INDEX IF EXISTS "{ORDER_INDEX}"')
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0005_two_factor_group")]
    operations = [migrations.RunPython(create, drop)]
