"""Uploaded files: what they may be, how big, and where they are kept.

A file's name on disk is chosen here, never by whoever uploaded it, and its type is
read from its content, not from its name.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

PHOTO_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}


def sniff_photo_format(file):
    """The image format Pillow reads from the content, or ``None``."""
    from PIL import Image

    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            image.verify()
            return image.format
    except Exception:
        return None
    finally:
        file.seek(position)


def is_pdf(file):
    position = file.tell()
    try:
        file.seek(0)
        return file.read(5) == b"%PDF-"
    finally:
        file.seek(position)


@deconstructible
class MaxSizeValidator:
    def __init__(self, setting):
        self.setting = setting

    def __call__(self, file):
        limit = getattr(settings, self.setting)
        if file.size > limit:
            raise ValidationError(
                _("The file is %(size)s; the limit is %(limit)s."),
                code="file_too_large",
                params={
                    "size": filesizeformat(file.size),
                    "limit": filesizeformat(limit),
                },
            )

    def __eq__(self, other):
        return isinstance(other, MaxSizeValidator) and other.setting == self.setting


def validate_photo(file):
    if sniff_photo_format(file) not in PHOTO_FORMATS:
        raise ValidationError(
            _("Upload a photo in JPEG, PNG or WebP format."), code="not_a_photo"
        )


def validate_pdf(file):
    if not is_pdf(file):
        raise ValidationError(
            _("Upload the signed document as a PDF file."), code="not_a_pdf"
        )


def photo_path(instance, filename):
    """A random name with the extension of the photo's real format."""
    extension = PHOTO_FORMATS.get(sniff_photo_format(instance.photo.file), ".img")
    return f"cities/{uuid.uuid4().hex}{extension}"


def emblem_path(instance, filename):
    """The office's emblem: a random name with its real format's extension."""
    extension = PHOTO_FORMATS.get(sniff_photo_format(instance.emblem.file), ".img")
    return f"site/{uuid.uuid4().hex}{extension}"


def document_path(instance, filename):
    return f"agreements/{uuid.uuid4().hex}.pdf"
