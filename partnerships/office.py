"""The office's own identity wherever a file or page names it: its name and the
home city's in each language, and how the public reaches it.

Read from the site settings Administrators edit in the admin
(``models.SiteSettings``). The setting ``PARTNERSHIPS_OFFICE_NAME`` fills in
what they leave empty: with no settings saved, or for a language they have no
name in. A language with neither is named in English.

Each call reads the settings row once; within ``read_once()`` (a report of many
sheets, a page's header, footer and structured data) it is read only once.
"""

import contextlib
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname

from .models import City, SiteSettings, text_of
from .models.choices import CityRole
from .models.site import SINGLETON_ID

OFFICE_LANGUAGES = ("en", "zh-hans", "ru")
NOT_READ = object()

_read = ContextVar("partnerships_site_settings", default=None)


@contextlib.contextmanager
def read_once():
    """Within the block, the site settings are read from the database once."""
    if _read.get() is not None:
        yield
        return
    token = _read.set({"row": NOT_READ})
    try:
        yield
    finally:
        _read.reset(token)


def site_settings():
    """The saved site settings, or None."""
    memo = _read.get()
    if memo is not None and memo["row"] is not NOT_READ:
        return memo["row"]
    row = SiteSettings.objects.filter(pk=SINGLETON_ID).first()
    if memo is not None:
        memo["row"] = row
    return row


def _language(language):
    return language or translation.get_language() or settings.LANGUAGE_CODE


def _saved(row, field_name, language):
    if row is None:
        return ""
    column = build_localized_fieldname(field_name, language)
    return getattr(row, column, "") or ""


def _configured(language):
    names = settings.PARTNERSHIPS_OFFICE_NAME
    return names.get(language) or names.get(language.split("-")[0]) or ""


def name_from(row, language=None):
    """The office's name in ``language`` from ``row`` (saved settings or None)."""
    language = _language(language)
    return (
        _saved(row, "office_name", language)
        or _configured(language)
        or _saved(row, "office_name", "en")
        or _configured("en")
    )


def office_name(language=None):
    """The office's name in ``language`` (the active one if None), else in English."""
    return name_from(site_settings(), language)


def office_names(first=None):
    """The office's name in every language, ``first`` (or the active one) first."""
    first = _language(first)
    order = sorted(OFFICE_LANGUAGES, key=lambda language: language != first)
    row = site_settings()
    # A language without a name of its own would repeat the English one.
    return list(dict.fromkeys(name_from(row, language) for language in order))


def home_city_name(language=None):
    """The home city's name in ``language`` (the active one): the settings', else
    the home city record's in that language (the seed names Chongqing in Russian
    where the settings do not), else the settings' in another language."""
    row = site_settings()
    if row is None:
        return ""
    language = _language(language)
    name, written_in = text_of(row, "home_city_name", language)
    if written_in == language or language not in OFFICE_LANGUAGES:
        return name
    column = build_localized_fieldname("name", language)
    recorded = (
        City.objects.filter(role=CityRole.HOME).values_list(column, flat=True).first()
    )
    return recorded or name


@dataclass
class Identity:
    """What a public page shows of the office: names, emblem and contacts."""

    name: str
    #: ``[(language, name)]``: the office's name in the other languages.
    other_names: list = field(default_factory=list)
    home_city: str = ""
    #: The saved settings (address, telephone, e-mail…), or None.
    settings: SiteSettings | None = None

    @property
    def has_contacts(self):
        row = self.settings
        return bool(
            row
            and (
                row.address
                or row.telephone
                or row.email
                or row.website
                or row.opening_hours
            )
        )


def identity(language=None):
    """The office as the reader's page names it (one query)."""
    language = _language(language)
    with read_once():
        row = site_settings()
        name = name_from(row, language)
        others, seen = [], {name}
        for code in OFFICE_LANGUAGES:
            other = name_from(row, code)
            if other not in seen:
                others.append((code, other))
                seen.add(other)
        return Identity(
            name=name,
            other_names=others,
            home_city=home_city_name(language),
            settings=row,
        )
