"""The office's own name, in each language, wherever a file or page names it.

Read from the settings for now. When the office's details move to settings edited
in the admin, this is the one function that changes.
"""

from django.conf import settings
from django.utils import translation

OFFICE_LANGUAGES = ("en", "zh-hans", "ru")


def office_name(language=None):
    """The office's name in ``language`` (the active one if None), else in English."""
    names = settings.PARTNERSHIPS_OFFICE_NAME
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return names.get(language) or names.get(language.split("-")[0]) or names["en"]


def office_names(first=None):
    """The office's name in every language, ``first`` (or the active one) first."""
    first = first or translation.get_language() or settings.LANGUAGE_CODE
    order = sorted(OFFICE_LANGUAGES, key=lambda language: language != first)
    # A language without a name of its own would repeat the English one.
    return list(dict.fromkeys(office_name(language) for language in order))
