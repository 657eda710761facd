"""The office's own identity: one row of settings that Administrators edit.

The office's name and the home city's name in each language, its emblem, and how
to reach it. ``partnerships/office.py`` is the one place that reads them (with
the setting ``PARTNERSHIPS_OFFICE_NAME`` for what is not saved); the public
header, footer, contact page and structured data show them.
"""

from django.core.exceptions import PermissionDenied
from django.core.validators import RegexValidator
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import uploads

#: The primary key of the one row there is.
SINGLETON_ID = 1

#: A telephone number as people write it: digits, spaces, +, -, (), / and dots.
telephone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()./-]{3,40}$",
    _("Enter a telephone number: digits, spaces, + - ( ) / and dots."),
    code="invalid_telephone",
)


class NotDeletable(PermissionDenied):
    """The site settings are changed, never deleted."""


def refuse_deletion():
    raise NotDeletable(_("The site settings cannot be deleted; change them instead."))


class SiteSettingsQuerySet(models.QuerySet):
    def delete(self):
        refuse_deletion()


class SiteSettings(models.Model):
    """Who publishes the site, and how the public reaches them (one row)."""

    id = models.PositiveSmallIntegerField(
        primary_key=True, default=SINGLETON_ID, editable=False
    )
    office_name = models.CharField(
        _("office's name"),
        max_length=200,
        help_text=_(
            "As the office signs, e.g. Foreign Affairs Office of Chongqing "
            "Municipal People's Government."
        ),
    )
    home_city_name = models.CharField(_("home city's name"), max_length=100, blank=True)
    emblem = models.ImageField(
        _("emblem or logo"),
        upload_to=uploads.emblem_path,
        blank=True,
        width_field="emblem_width",
        height_field="emblem_height",
        validators=[
            uploads.validate_photo,
            uploads.MaxSizeValidator("PARTNERSHIPS_PHOTO_MAX_BYTES"),
        ],
        help_text=_(
            "JPEG, PNG or WebP, square or wide. Shown beside the office's name on "
            "every public page."
        ),
    )
    # Its size, so the page keeps its place before the image is loaded.
    emblem_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    emblem_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    address = models.TextField(_("postal address"), blank=True)
    telephone = models.CharField(
        _("telephone"), max_length=50, blank=True, validators=[telephone_validator]
    )
    email = models.EmailField(
        _("e-mail"),
        blank=True,
        help_text=_("Shown to the public, and where their replies go."),
    )
    website = models.URLField(_("the office's main website"), blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SiteSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")
        # One row, changed and never deleted: there is no delete permission.
        default_permissions = ("add", "change", "view")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id=SINGLETON_ID), name="site_settings_one_row"
            )
        ]

    def __str__(self):
        return str(capfirst(self._meta.verbose_name))

    def save(self, *args, **kwargs):
        # Whatever is saved is the one row: a new instance replaces its values.
        self.pk = SINGLETON_ID
        if self._state.adding and type(self).objects.filter(pk=self.pk).exists():
            self._state.adding = False
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_deletion()
