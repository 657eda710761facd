"""Backups of the database and the uploaded files, and their restoration.

PostgreSQL is dumped with ``pg_dump`` in its custom format and restored with
``pg_restore``; SQLite is copied with its online backup API. Uploaded media go into
a tar archive beside the dump, with a manifest that lists what the backup holds
(counted in the dump's own snapshot) so a restore can check it got everything
back: in a scratch database first, before the live one is replaced. A backup is
readable by its owner only.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections, transaction

from .public.cache import invalidate_public_pages

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


def database_settings(alias="default"):
    return connections[alias].settings_dict


def vendor(alias="default"):
    return connections[alias].vendor


def counted_models():
    """The models whose rows a backup counts (history included)."""
    models = [*apps.get_app_config("partnerships").get_models()]
    return models + [apps.get_model("auth", "User"), apps.get_model("auth", "Group")]


def record_counts():
    """Rows per model of this project (history included), to check a restore."""
    return {
        model._meta.label: model._default_manager.count() for model in counted_models()
    }


def table_counts(execute):
    """``record_counts`` read with ``execute(sql)`` (one number per query): in
    a dump's own snapshot, or in a database other than Django's."""
    counts = {}
    for model in counted_models():
        table = model._meta.db_table.replace('"', '""')
        # The table names are the models', never input.
        sql = f'SELECT COUNT(*) FROM "{table}"'  # nosec B608
        counts[model._meta.label] = execute(sql)
    return counts


def private(path):
    """Only the owner may read ``path``: backups hold password hashes,
    two-factor keys, sessions and internal notes."""
    path.chmod(0o700 if path.is_dir() else 0o600)


def readable_by_others(folder):
    """The backup's files (and the folder) that others than their owner may
    read."""
    paths = [folder, *folder.iterdir()]
    return [path for path in paths if path.stat().st_mode & 0o077]


def postgres_environment(db):
    env = {**os.environ}
    for key, name in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if db.get(name):
            env[key] = str(db[name])
    return env


def run(command, env=None):
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed: {error}") from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()}") from error


def create_backup(destination=None):
    """Write a backup folder, readable by its owner only, and return its path.

    The counts in its manifest are read in the very snapshot the dump is made
    of, so staff writing meanwhile never make the two disagree.
    """
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    target = Path(destination or Path(settings.BASE_DIR) / "backups" / stamp)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} already exists and is not empty.")
    umask = os.umask(0o077)
    try:
        target.mkdir(parents=True, exist_ok=True)
        private(target)
        dump, counts = dump_database(target)
        media_files = archive_media(target / MEDIA_ARCHIVE)
        manifest = {
            "created": datetime.datetime.now(datetime.UTC).isoformat(),
            "vendor": vendor(),
            "database": dump.name,
            "counts": counts,
            "media_files": media_files,
        }
        (target / MANIFEST).write_text(json.dumps(manifest, indent=2))
        for path in target.iterdir():
            private(path)
    finally:
        os.umask(umask)
    return target


def dump_database(target):
    """The database written into ``target``, and its rows counted in the same
    snapshot: ``(dump path, counts)``."""
    db = database_settings()
    kind = vendor()
    if kind == "postgresql":
        dump = target / "database.dump"
        connection = connections["default"]
        with transaction.atomic(), connection.cursor() as cursor:
            # pg_dump reads the snapshot this transaction exported, and
            # the counts are read in it too.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = table_counts(lambda sql: scalar(cursor, sql))
            run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={dump}",
                    db["NAME"],
                ],
                env=postgres_environment(db),
            )
        return dump, counts
    if kind == "sqlite":
        dump = target / "database.sqlite3"
        source = sqlite3.connect(db["NAME"])
        copy = sqlite3.connect(dump)
        try:
            source.backup(copy)
            # Counted in the copy itself: what it holds, whatever came since.
            counts = table_counts(lambda sql: copy.execute(sql).fetchone()[0])
        finally:
            copy.close()
            source.close()
        return dump, counts
    raise BackupError(f"No backup method for the {kind} database.")


def scalar(cursor, sql):
    cursor.execute(sql)
    return cursor.fetchone()[0]


def archive_media(path):
    """The uploaded files into a tar archive at ``path``; how many it holds."""
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(path, "w:gz") as archive:
        if media_root.exists():
            archive.add(media_root, arcname="media")
    with tarfile.open(path, "r:gz") as archive:
        return sum(1 for member in archive.getmembers() if member.isfile())


def read_manifest(folder):
    path = Path(folder) / MANIFEST
    if not path.exists():
        raise BackupError(f"{folder} is not a backup: it has no {MANIFEST}.")
    return json.loads(path.read_text())


def restore_backup(folder, allow_readable=False):
    """Replace the database and media with the backup in ``folder``.

    The backup is first restored into a scratch database (and its files into a
    staging folder) and counted there; the live database and media are
    replaced only when every count matches the manifest.
    """
    folder = Path(folder)
    manifest = read_manifest(folder)
    exposed = readable_by_others(folder)
    if exposed and not allow_readable:
        raise BackupError(
            f"{exposed[0]} can be read by other users of this machine, and a "
            "backup holds password hashes and internal notes. Make it private "
            f"(chmod -R go-rwx {folder}), or pass --allow-readable if you are "
            "sure nobody else could have changed it."
        )
    kind = vendor()
    if manifest["vendor"] != kind:
        raise BackupError(
            f"This backup is of a {manifest['vendor']} database; "
            f"DATABASE_URL points at {kind}."
        )
    dump = folder / manifest["database"]
    check_counts(manifest["counts"], counts_in_scratch(dump, kind), "backup")
    staging = stage_media(folder / MEDIA_ARCHIVE)
    try:
        staged = sum(1 for path in staging.rglob("*") if path.is_file())
        if staged != manifest["media_files"]:
            raise BackupError(
                f"The backup's media archive holds {staged} files; its manifest "
                f"says {manifest['media_files']}. Nothing was replaced."
            )
        connections.close_all()
        replace_database(dump, kind)
        swap_media(staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    # The restored records replaced the ones cached pages were made from.
    invalidate_public_pages()
    check_counts(manifest["counts"], record_counts(), "restored database")
    return manifest


def check_counts(expected, found, where):
    differ = {
        label: (count, found.get(label))
        for label, count in expected.items()
        if found.get(label) != count
    }
    if differ:
        raise BackupError(
            f"The {where}'s counts differ from the manifest (expected, found): "
            f"{differ}. The live database was not replaced."
            if where == "backup"
            else f"The {where}'s counts differ from the backup: {differ}"
        )


def counts_in_scratch(dump, kind):
    """The dump restored into a scratch database, and its rows counted there."""
    db = database_settings()
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as scratch:
            copy_path = Path(scratch) / "check.sqlite3"
            source = sqlite3.connect(dump)
            copy = sqlite3.connect(copy_path)
            try:
                source.backup(copy)
                return table_counts(lambda sql: copy.execute(sql).fetchone()[0])
            except sqlite3.DatabaseError as error:
                raise BackupError(
                    f"The backup's database is unreadable: {error}"
                ) from error
            finally:
                copy.close()
                source.close()
    import psycopg

    # Never the live database's name, however long that is.
    digest = hashlib.sha256(db["NAME"].encode()).hexdigest()[:16]
    scratch = f"restore_check_{digest}"
    server = {
        key: value
        for key, value in (
            ("host", db.get("HOST")),
            ("port", db.get("PORT")),
            ("user", db.get("USER")),
            ("password", db.get("PASSWORD")),
        )
        if value
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                f"--dbname={scratch}",
                str(dump),
            ],
            env=postgres_environment(db),
        )
        with psycopg.connect(dbname=scratch, **server) as check:
            return table_counts(lambda sql: check.execute(sql).fetchone()[0])
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def replace_database(dump, kind):
    db = database_settings()
    if kind == "postgresql":
        run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                f"--dbname={db['NAME']}",
                str(dump),
            ],
            env=postgres_environment(db),
        )
        return
    source = sqlite3.connect(dump)
    target = sqlite3.connect(db["NAME"])
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def stage_media(archive_path):
    """The archive's files extracted beside the media folder; the staging
    folder (its ``media`` inside) is returned, the live media untouched."""
    media_root = Path(settings.MEDIA_ROOT)
    staging = media_root.with_name(media_root.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tarfile.open(archive_path, "r:gz") as archive:
        # The "data" filter refuses absolute paths, links out and device files.
        archive.extractall(staging, filter="data")
    return staging


def swap_media(staging):
    """The staged media in place of the live ones; the live ones are moved
    aside first and put back if the swap fails."""
    media_root = Path(settings.MEDIA_ROOT)
    restored = staging / "media"
    if not restored.exists():
        restored.mkdir(parents=True)
    aside = staging / "previous"
    if media_root.exists():
        media_root.rename(aside)
    try:
        restored.rename(media_root)
    except OSError:
        if aside.exists():
            aside.rename(media_root)
        raise
