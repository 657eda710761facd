"""What every record shares: bookkeeping, publication, and the names it goes by."""

from django.conf import settings
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname, resolution_order

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
# The languages a record's English text is translated into, named for people.
TRANSLATED_INTO = (("zh-hans", _("Chinese")), ("ru", _("Russian")))


def localized_fields(field):
    """The columns that hold ``field`` in each language: title_en, title_zh_hans…"""
    return tuple(build_localized_fieldname(field, code) for code in LANGUAGE_CODES)


def translated_fields(model):
    """The names of ``model``'s translated fields (``title``, not ``title_en``)."""
    try:
        return tuple(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return ()


def missing_translation(model, language):
    """A condition: some text of the record is written in English, not in
    ``language`` (the translation queue's records)."""
    condition = models.Q()
    for field in translated_fields(model):
        condition |= ~models.Q(**{build_localized_fieldname(field, "en"): ""}) & (
            models.Q(**{build_localized_fieldname(field, language): ""})
        )
    return condition


def localized_paths(prefix, field="name"):
    """``localized_fields(field)`` reached through ``prefix`` (a lookup path)."""
    return tuple(f"{prefix}__{column}" for column in localized_fields(field))


def unique_names(model_name):
    """Constraints: no two records share a name in any one language.

    Constraints rather than ``unique=True`` on the name: modeltranslation would
    copy that to every language's column, and simple-history to its history rows
    (where one name recurs in every version); an empty name is not compared.
    """
    return [
        models.UniqueConstraint(
            fields=[column],
            condition=~models.Q(**{column: ""}),
            name=f"{model_name}_unique_{column}",
            violation_error_message=_("Another record has this name."),
        )
        for column in localized_fields("name")
    ]


def in_reader_language(path):
    """The translated text at ``path`` in the reader's language, as SQL.

    The first non-empty text in the reader's order (``reading_order``), so a
    query gives what the record's own attribute would, without reading every
    language back; NULL where there is none (or no record at the end of the
    path).
    """
    head, _sep, field = path.rpartition("__")
    prefix = f"{head}__" if head else ""
    by_code = dict(zip(LANGUAGE_CODES, localized_fields(field), strict=True))
    return Coalesce(
        *(NullIf(F(prefix + by_code[code]), Value("")) for code in reading_order()),
        output_field=models.TextField(),
    )


def reading_order(language=None):
    """The languages a text is looked for in: the reader's, then the fallbacks."""
    return resolution_order(
        language or get_language() or settings.LANGUAGE_CODE,
        settings.MODELTRANSLATION_FALLBACK_LANGUAGES,
    )


def text_of(record, field, language=None):
    """``(text, language)`` of a record's translated ``field`` for the reader:
    the first text found in the reader's order; ``("", None)`` if it has none."""
    columns = localized_fields(field)
    by_code = {
        code: getattr(record, column)
        for code, column in zip(LANGUAGE_CODES, columns, strict=True)
    }
    for code in reading_order(language):
        if by_code.get(code):
            return by_code[code], code
    return "", None


class Recorded(models.Model):
    """Bookkeeping every record carries."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Publishable(Recorded):
    """A record the public may see once a Publisher has ticked ``published``."""

    published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Shown on the public site. Only a Publisher can change this."),
    )
    internal_notes = models.TextField(
        _("internal notes"),
        blank=True,
        help_text=_("For the office only; never shown to the public."),
    )

    class Meta:
        abstract = True


class Named(models.Model):
    """A record known by a name in each language and, maybe, in its own script.

    Subclass ``named(...)``, which adds the name fields; the name is translated
    (see ``partnerships/translation.py``), so ``name`` reads in the reader's
    language. ``NAMES`` lists every column that holds a name, for searches and
    look-ups that go through them all.
    """

    NAMES = localized_fields("name")

    class Meta:
        abstract = True

    def __str__(self):
        return self.name or ""

    @classmethod
    def names_of(cls, prefix):
        """Every name of the record reached through ``prefix`` (a lookup path)."""
        return tuple(f"{prefix}__{field}" for field in cls.NAMES)

    @classmethod
    def any_name(cls, lookup, value):
        """A condition: any of the record's names matches ``value`` by ``lookup``."""
        condition = models.Q()
        for field in cls.NAMES:
            condition |= models.Q(**{f"{field}__{lookup}": value})
        return condition


def named(max_length=200, *, local=True, local_help=""):
    """An abstract base with the name, and the name in the record's own script.

    Cities, people, institutions, sectors and focus areas keep the same names with
    different lengths, and not all of them have a local script; this gives each
    the fields it has, declared once. The per-language columns are added by
    django-modeltranslation when ``translation.py`` registers ``name``.
    """
    fields = {"name": models.CharField(_("name"), max_length=max_length)}
    names = Named.NAMES
    if local:
        fields["name_local"] = models.CharField(
            _("name (local script)"),
            max_length=max_length,
            blank=True,
            help_text=local_help,
        )
        names = (*names, "name_local")
    meta = type("Meta", (), {"abstract": True})
    return type(
        "Named",
        (Named,),
        {**fields, "NAMES": names, "Meta": meta, "__module__": __name__},
    )
