"""Settings come from the environment, with safe development defaults."""

import json
import re
import subprocess
import sys

from django.conf import settings
from django.test import SimpleTestCase

from tests.scratch import clean_environment


def read_settings(**env):
    """Import the settings in a fresh interpreter with ``env`` and report them."""
    script = (
        "import json, django; from django.conf import settings as s; "
        "db = s.DATABASES['default']; "
        "print(json.dumps({'debug': s.DEBUG, 'engine': db['ENGINE'], "
        "'name': str(db['NAME']), 'host': db.get('HOST', ''), "
        "'hosts': s.ALLOWED_HOSTS, 'key': s.SECRET_KEY}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=clean_environment(DJANGO_SETTINGS_MODULE="foreignaffairs.settings", **env),
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    return result


class SettingsTests(SimpleTestCase):
    def test_defaults_are_sqlite_in_the_project_folder(self):
        result = read_settings()
        self.assertEqual(result.returncode, 0, result.stderr)
        values = json.loads(result.stdout)
        self.assertEqual(values["engine"], "django.db.backends.sqlite3")
        self.assertEqual(values["name"], str(settings.BASE_DIR / "db.sqlite3"))
        self.assertEqual(values["hosts"], ["127.0.0.1", "localhost"])
        self.assertTrue(values["debug"])
        self.assertGreaterEqual(len(values["key"]), 40)

    def test_database_url_selects_postgresql(self):
        result = read_settings(DATABASE_URL="postgres://clerk@db.example:5432/records")
        self.assertEqual(result.returncode, 0, result.stderr)
        values = json.loads(result.stdout)
        self.assertEqual(values["engine"], "django.db.backends.postgresql")
        self.assertEqual((values["name"], values["host"]), ("records", "db.example"))

    def test_production_refuses_to_start_without_a_secret_key(self):
        result = read_settings(DJANGO_DEBUG="0")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DJANGO_SECRET_KEY must be set", result.stderr)

    def test_production_values_from_the_environment(self):
        result = read_settings(
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY="Zq8-x7Hk2Lm9Pq4Rs6Tv1Wy3Za5Bc8De0Fg2Hj4Kl6Mn8Pq0Rs2Tv",
            DJANGO_ALLOWED_HOSTS="partners.example.org, www.example.org",
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        values = json.loads(result.stdout)
        self.assertFalse(values["debug"])
        self.assertEqual(values["hosts"], ["partners.example.org", "www.example.org"])

    def test_unreadable_boolean_is_an_error(self):
        result = read_settings(DJANGO_DEBUG="maybe")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DJANGO_DEBUG must be", result.stderr)

    def test_no_secret_is_committed(self):
        source = (settings.BASE_DIR / "foreignaffairs/settings.py").read_text()
        self.assertIsNone(re.search(r"SECRET_KEY\s*=\s*[\"']", source))
        ignored = (settings.BASE_DIR / ".gitignore").read_text().splitlines()
        self.assertIn("/.secret_key", ignored)


class EverySettingIsDocumentedTests(SimpleTestCase):
    ENVIRONMENT_READ = re.compile(
        r"(?:env_bool|env_int|env_list|os\.environ\.get)\(\s*\"([A-Z0-9_]+)\""
    )
    SETTING_READ = re.compile(
        r"settings\.(PARTNERSHIPS_[A-Z0-9_]+)"
        r"|getattr\(\s*settings,\s*\"(PARTNERSHIPS_[A-Z0-9_]+)\""
    )

    def sources(self, *folders):
        for folder in folders:
            yield from (settings.BASE_DIR / folder).rglob("*.py")

    def test_every_environment_variable_read_is_in_the_readme(self):
        readme = (settings.BASE_DIR / "README.md").read_text()
        names = set()
        for path in ("foreignaffairs/settings.py", "foreignaffairs/gunicorn.conf.py"):
            text = (settings.BASE_DIR / path).read_text()
            names |= set(self.ENVIRONMENT_READ.findall(text))
        self.assertIn("PARTNERSHIPS_IMPORT_MAX_UNPACKED_BYTES", names)
        self.assertEqual({n for n in names if f"`{n}`" not in readme}, set())

    def test_every_setting_of_ours_that_is_read_is_defined(self):
        from foreignaffairs import settings as defined

        read = set()
        for path in self.sources("partnerships", "foreignaffairs"):
            for found in self.SETTING_READ.findall(path.read_text()):
                read |= set(found) - {""}
        self.assertIn("PARTNERSHIPS_IMPORT_MAX_UNPACKED_BYTES", read)
        self.assertEqual({name for name in read if not hasattr(defined, name)}, set())
