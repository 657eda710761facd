"""Uploaded files no record needs any more, removed once they are old enough.

A replaced photo or document stays on disk while any history row points to it
(a restore from history brings it back), and so does a file a pending draft
proposes. A file nothing points to (its history purged, an upload whose save
failed) is an orphan: it is removed once it is older than
``PARTNERSHIPS_ORPHAN_FILE_DAYS``.
"""

import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from .models import Draft, DraftStatus

#: The folders under MEDIA_ROOT that uploads go to (models/uploads.py).
UPLOAD_FOLDERS = ("cities", "agreements", "site")


def file_fields():
    """``(model, field name)`` of every file field, and of its history (which
    keeps a file's name as text)."""
    for model in apps.get_app_config("partnerships").get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                yield model, field.name
                history = getattr(model, "history", None)
                if history is not None:
                    yield history.model, field.name


def referenced_files():
    """Every file name a record, a history row or a pending draft points to."""
    names = set()
    fields = list(file_fields())
    for model, name in fields:
        names.update(
            model._default_manager.exclude(**{name: ""})
            .values_list(name, flat=True)
            .distinct()
        )
    file_names = {name for _model, name in fields}
    for proposed in Draft.objects.filter(status=DraftStatus.PENDING).values_list(
        "proposed", flat=True
    ):
        for name, value in proposed.get("fields", {}).items():
            if name in file_names and value:
                names.add(value)
    return names


def orphans(now=None):
    """The upload files nothing points to and older than the setting, oldest
    first: ``[(path, name)]``."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.PARTNERSHIPS_ORPHAN_FILE_DAYS)
    root = Path(settings.MEDIA_ROOT)
    used = referenced_files()
    found = []
    for folder in UPLOAD_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if not path.is_file():
                continue
            name = path.relative_to(root).as_posix()
            modified = datetime.datetime.fromtimestamp(
                path.stat().st_mtime, tz=datetime.UTC
            )
            if name not in used and modified < cutoff:
                found.append((path, name))
    return found
