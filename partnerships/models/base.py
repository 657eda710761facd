"""What every record shares: bookkeeping, publication, and the names it goes by."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The languages whose speakers read a city's local-script name as their own.
LOCAL_LANGUAGE_OF_COUNTRY = {
    "zh": {"CN", "TW", "HK", "MO", "SG"},
    "ru": {"RU", "BY", "KZ", "KG"},
}


def localized(obj, language=None):
    """The name of ``obj`` in the reader's language, where one is recorded."""
    language = (language or get_language() or "en").lower()
    for prefix in ("zh", "ru"):
        if language.startswith(prefix):
            own = getattr(obj, f"name_{prefix}", "")
            if own:
                return own
            country = getattr(obj, "country", None)
            local = getattr(obj, "name_local", "")
            if local and country and country.code in LOCAL_LANGUAGE_OF_COUNTRY[prefix]:
                return local
    return obj.name


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
    """A record known by a name in English and, where recorded, in other scripts.

    Subclass ``named(...)``, which adds the name fields; ``NAMES`` lists them, for
    searches and look-ups that go through every name.
    """

    NAMES = ("name",)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def localized_name(self):
        return localized(self)

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


def named(max_length=200, *, local=True, russian=True, unique=False, local_help=""):
    """An abstract base with the name fields: English, local script, Chinese, Russian.

    Cities, people, institutions, sectors and focus areas keep the same names with
    different lengths, and not all of them have every script; this gives each the
    fields it has, declared once.
    """
    fields = {
        "name": models.CharField(
            _("name (English)"), max_length=max_length, unique=unique
        )
    }
    if local:
        fields["name_local"] = models.CharField(
            _("name (local script)"),
            max_length=max_length,
            blank=True,
            help_text=local_help,
        )
    fields["name_zh"] = models.CharField(
        _("name (Chinese)"), max_length=max_length, blank=True
    )
    if russian:
        fields["name_ru"] = models.CharField(
            _("name (Russian)"), max_length=max_length, blank=True
        )
    meta = type("Meta", (), {"abstract": True})
    return type(
        "Named",
        (Named,),
        {**fields, "NAMES": tuple(fields), "Meta": meta, "__module__": __name__},
    )
