"""Records found by any of their names and other spellings: people, institutions.

Each keeps ``name_keys``: every name it goes by (in each language, in its own
script, and its other spellings), written as ``name_key`` writes it and set
between spaces: " SERGEIPETROV 谢尔盖彼得罗夫 СЕРГЕЙПЕТРОВ ". Matching a name
is then one indexed look-up whatever the script, case, width or punctuation
("谢尔盖彼得罗夫" is "谢尔盖·彼得罗夫"), on SQLite and PostgreSQL alike.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .search import name_key


def keys_text(names):
    """``name_keys`` of a record going by ``names``."""
    keys = sorted({name_key(name) for name in names if name} - {""})
    return f" {' '.join(keys)} " if keys else ""


def keys_of(record):
    """The keys of a record's ``name_keys``."""
    return set(record.name_keys.split())


class KnownByNamesQuerySet(models.QuerySet):
    def named(self, name):
        """The records going by ``name`` (compared as ``name_key`` writes it)."""
        key = name_key(name)
        if not key:
            return self.none()
        return self.filter(name_keys__contains=f" {key} ")

    def named_any(self, names):
        """The records going by one of ``names``."""
        keys = {name_key(name) for name in names if name} - {""}
        condition = Q()
        for key in sorted(keys):
            condition |= Q(name_keys__contains=f" {key} ")
        return self.filter(condition) if keys else self.none()

    def namesakes(self, record):
        """The records of ``record``'s city (or of none) that go by one of its
        names: the same person or body, perhaps, recorded twice."""
        return (
            self.named_any(record.every_name())
            .filter(city_id=record.city_id)
            .exclude(pk=record.pk)
        )


class OtherName(models.Model):
    """Another name a record goes by; saving or deleting it renews the record's
    ``name_keys``. Subclasses add ``OWNER``'s foreign key and ``name``."""

    OWNER = ""

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        getattr(self, self.OWNER).refresh_name_keys()

    def delete(self, *args, **kwargs):
        owner = getattr(self, self.OWNER)
        result = super().delete(*args, **kwargs)
        owner.refresh_name_keys()
        return result


class KnownByNames(models.Model):
    """A record matched by every name it goes by (see the module)."""

    name_keys = models.TextField(
        _("every name, as compared"), blank=True, default="", editable=False
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.name_keys = keys_text(self.every_name())
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.NAMES):
            kwargs["update_fields"] = {*update_fields, "name_keys"}
        super().save(*args, **kwargs)

    def every_name(self):
        """Its names in every language and script, and its other spellings."""
        names = [getattr(self, field) for field in self.NAMES]
        if self.pk is not None:
            # Prefetched when a list asked for them.
            names.extend(alias.name for alias in self.aliases.all())
        return [name for name in names if name]

    def refresh_name_keys(self):
        """Write ``name_keys`` again (after its other spellings changed)."""
        getattr(self, "_prefetched_objects_cache", {}).pop("aliases", None)
        keys = keys_text(self.every_name())
        if keys != self.name_keys:
            type(self)._default_manager.filter(pk=self.pk).update(name_keys=keys)
            self.name_keys = keys
