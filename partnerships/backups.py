"""Backups of the database and the uploaded files, and their restoration.

PostgreSQL is dumped with ``pg_dump`` in its custom format and restored with
``pg_restore``; SQLite is copied with its online backup API. Uploaded media go into
a tar archive beside the dump, with a manifest that lists what the backup holds so a
restore can check it got everything back.
"""

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections

from .public.cache import invalidate_public_pages

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


def database_settings(alias="default"):
    return connections[alias].settings_dict


def vendor(alias="default"):
    return connections[alias].vendor


def record_counts():
    """Rows per model of this project (history included), to check a restore."""
    models = [*apps.get_app_config("partnerships").get_models()]
    models += [apps.get_model("auth", "User"), apps.get_model("auth", "Group")]
    return {model._meta.label: model._default_manager.count() for model in models}


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
    """Write a backup folder and return its path."""
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    target = Path(destination or Path(settings.BASE_DIR) / "backups" / stamp)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} already exists and is not empty.")
    target.mkdir(parents=True, exist_ok=True)
    db = database_settings()
    kind = vendor()
    if kind == "postgresql":
        dump = target / "database.dump"
        run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={dump}",
                db["NAME"],
            ],
            env=postgres_environment(db),
        )
    elif kind == "sqlite":
        dump = target / "database.sqlite3"
        source = sqlite3.connect(db["NAME"])
        copy = sqlite3.connect(dump)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
    else:
        raise BackupError(f"No backup method for the {kind} database.")
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(target / MEDIA_ARCHIVE, "w:gz") as archive:
        if media_root.exists():
            archive.add(media_root, arcname="media")
    manifest = {
        "created": datetime.datetime.now(datetime.UTC).isoformat(),
        "vendor": kind,
        "database": dump.name,
        "counts": record_counts(),
        "media_files": sum(1 for path in media_root.rglob("*") if path.is_file())
        if media_root.exists()
        else 0,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return target


def read_manifest(folder):
    path = Path(folder) / MANIFEST
    if not path.exists():
        raise BackupError(f"{folder} is not a backup: it has no {MANIFEST}.")
    return json.loads(path.read_text())


def restore_backup(folder):
    """Replace the database and media with the backup in ``folder``."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    kind = vendor()
    if manifest["vendor"] != kind:
        raise BackupError(
            f"This backup is of a {manifest['vendor']} database; "
            f"DATABASE_URL points at {kind}."
        )
    db = database_settings()
    dump = folder / manifest["database"]
    connections.close_all()
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
    else:
        source = sqlite3.connect(dump)
        target = sqlite3.connect(db["NAME"])
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    restore_media(folder / MEDIA_ARCHIVE)
    # The restored records replaced the ones cached pages were made from.
    invalidate_public_pages()
    counts = record_counts()
    missing = {
        label: (expected, counts.get(label))
        for label, expected in manifest["counts"].items()
        if counts.get(label) != expected
    }
    if missing:
        raise BackupError(f"Restored counts differ from the backup: {missing}")
    return manifest


def restore_media(archive_path):
    media_root = Path(settings.MEDIA_ROOT)
    staging = media_root.with_name(media_root.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tarfile.open(archive_path, "r:gz") as archive:
        # The "data" filter refuses absolute paths, links out and device files.
        archive.extractall(staging, filter="data")
    restored = staging / "media"
    if media_root.exists():
        shutil.rmtree(media_root)
    if restored.exists():
        restored.rename(media_root)
    else:
        media_root.mkdir(parents=True)
    shutil.rmtree(staging, ignore_errors=True)
