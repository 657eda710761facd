"""Throwaway databases for tests that run manage.py in another process.

Backups, restores and killed imports act on a whole database, so such tests get
databases of their own, of the same kind as the suite's (SQLite or PostgreSQL).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import dj_database_url
from django.conf import settings


def clean_environment(**extra):
    """This process's environment without its Django settings, plus ``extra``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    env.update(extra)
    return env


class ScratchDatabaseMixin:
    """Gives a test ``self.folder`` and ``make_database()`` for fresh databases."""

    def setUp(self):
        super().setUp()
        self.folder = Path(tempfile.mkdtemp(prefix="scratch-"))
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)
        url = os.environ.get("DATABASE_URL", "")
        self.postgres = url.startswith("postgres")
        self.server = dj_database_url.parse(url) if self.postgres else None

    def make_database(self, label):
        """A new, empty database; dropped again after the test."""
        if not self.postgres:
            return f"sqlite:///{self.folder / f'{label}.sqlite3'}"
        import psycopg

        name = f"scratch_{label}_{uuid.uuid4().hex[:8]}"
        host, port, user = (
            self.server["HOST"],
            self.server["PORT"] or 5432,
            self.server["USER"],
        )
        dsn = f"host={host} port={port} user={user} dbname=postgres"
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')

        def drop():
            with psycopg.connect(dsn, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        self.addCleanup(drop)
        return f"postgres://{user}@{host}:{port}/{name}"

    def manage(self, database, *args, check=True, **env):
        """Run manage.py with ``database`` as DATABASE_URL; returns the result."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            env=clean_environment(DATABASE_URL=database, **env),
            capture_output=True,
            text=True,
            cwd=settings.BASE_DIR,
        )
        if check:
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        return result
