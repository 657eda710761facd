"""The migration to translated fields keeps every text where a reader finds it."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase
from django.utils import translation

BEFORE = [("partnerships", "0006_list_indexes")]


class TranslationMigrationTests(TransactionTestCase):
    """Rows written under 0006 (hand-made name_zh / name_ru), read after 0007."""

    def setUp(self):
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        city = old.get_model("partnerships", "City")
        self.voronezh = city.objects.create(
            name="Voronezh",
            name_local="Воронеж",
            name_zh="沃罗涅日",
            name_ru="",
            slug="voronezh",
            country="RU",
            region="Voronezh Oblast",
            description="An industrial hub.",
        ).pk
        self.minsk = city.objects.create(
            name="Minsk", name_zh="明斯克", name_ru="Минск", slug="minsk", country="BY"
        ).pk
        self.brest = city.objects.create(
            name="Brest", name_local="Brest", slug="brest", country="FR"
        ).pk
        person = old.get_model("partnerships", "Person")
        self.petrov = person.objects.create(
            name="Sergei Petrov",
            name_zh="谢尔盖·彼得罗夫",
            current_title="Deputy Mayor",
        ).pk
        institution = old.get_model("partnerships", "Institution")
        self.university = institution.objects.create(
            name="Voronezh State University",
            name_zh="沃罗涅日国立大学",
            name_ru="Воронежский государственный университет",
            kind="university",
            city_id=self.voronezh,
        ).pk
        sector = old.get_model("partnerships", "Sector")
        self.sectors = dict(sector.objects.values_list("code", "name_zh"))
        history = old.get_model("partnerships", "HistoricalCity")
        history.objects.create(
            id=self.voronezh,
            name="Voronezh",
            name_zh="沃罗涅日",
            slug="voronezh",
            country="RU",
            history_date="2024-03-20T00:00:00Z",
            history_type="+",
            created_at="2024-03-20T00:00:00Z",
            updated_at="2024-03-20T00:00:00Z",
        )
        # Forward to the latest migration: the tests after this one need it.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        latest = executor.loader.graph.leaf_nodes()
        executor.migrate(latest)
        self.apps = executor.loader.project_state(latest).apps

    def test_every_text_is_kept(self):
        # One test: going back to 0006 and forth rebuilds every table on SQLite.
        for check in (
            self.every_name_is_kept_in_its_language,
            self.other_texts_move_to_english,
            self.the_history_keeps_its_names,
            self.the_models_read_the_migrated_rows_in_each_language,
        ):
            with self.subTest(check.__name__):
                check()

    def every_name_is_kept_in_its_language(self):
        city = self.apps.get_model("partnerships", "City")
        rows = city.objects.order_by("pk").values_list(
            "name_en", "name_zh_hans", "name_ru", "name_local"
        )
        self.assertEqual(
            list(rows),
            [
                # The Russian city's own name in Cyrillic is its Russian name.
                ("Voronezh", "沃罗涅日", "Воронеж", "Воронеж"),
                ("Minsk", "明斯克", "Минск", ""),
                # A French city's local name is no Chinese or Russian name.
                ("Brest", "", "", "Brest"),
            ],
        )
        person = self.apps.get_model("partnerships", "Person").objects.get()
        self.assertEqual(
            (person.name_en, person.name_zh_hans, person.current_title_en),
            ("Sergei Petrov", "谢尔盖·彼得罗夫", "Deputy Mayor"),
        )
        university = self.apps.get_model("partnerships", "Institution").objects.get()
        self.assertEqual(
            (university.name_en, university.name_zh_hans, university.name_ru),
            (
                "Voronezh State University",
                "沃罗涅日国立大学",
                "Воронежский государственный университет",
            ),
        )
        sector = self.apps.get_model("partnerships", "Sector")
        self.assertEqual(
            dict(sector.objects.values_list("code", "name_zh_hans")), self.sectors
        )

    def other_texts_move_to_english(self):
        city = self.apps.get_model("partnerships", "City").objects.get(pk=self.voronezh)
        self.assertEqual(
            (city.region_en, city.description_en, city.region_zh_hans),
            ("Voronezh Oblast", "An industrial hub.", ""),
        )

    def the_history_keeps_its_names(self):
        history = self.apps.get_model("partnerships", "HistoricalCity").objects.get()
        self.assertEqual(
            (history.name_en, history.name_zh_hans), ("Voronezh", "沃罗涅日")
        )

    def the_models_read_the_migrated_rows_in_each_language(self):
        from partnerships.models import City

        voronezh = City.objects.get(pk=self.voronezh)
        for language, name in (
            ("en", "Voronezh"),
            ("zh-hans", "沃罗涅日"),
            ("ru", "Воронеж"),
        ):
            with translation.override(language):
                self.assertEqual(voronezh.name, name)
