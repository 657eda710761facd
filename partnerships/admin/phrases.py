"""The admin's titles and messages that name a kind of record, in natural grammar.

Django builds them as "Add %s", "Select %s to change", "The {name} “{obj}” was
added successfully", with the record's name as it is in a list heading. Russian
declines that name, so Django's own Russian reads "Добавить организация",
"Выберите сфера для изменения", "сфера … был успешно добавлен". Two remedies:

- **Titles and the add button** name the record as the object of the verb
  (``as_object``): one translation per kind of record, in the context "object
  of a verb" ("организацию", "человека"), where the language declines it.
- **Messages** are worded here around the word "record" (Russian "запись"),
  which agrees with itself whatever kind of record it names. This project's
  catalogs take precedence over Django's, so its translations of Django's own
  messages below are the ones shown.
"""

from django.contrib.admin.views.main import IS_POPUP_VAR
from django.utils.translation import gettext, gettext_noop, pgettext, pgettext_lazy

OBJECT = "object of a verb"

# Each kind of record the admin lists, as the object of a verb; the msgid is the
# model's English verbose_name. Listed so that makemessages collects them.
OBJECT_FORMS = (
    pgettext_lazy("object of a verb", "activity"),
    pgettext_lazy("object of a verb", "agreement"),
    pgettext_lazy("object of a verb", "alternate name"),
    pgettext_lazy("object of a verb", "city"),
    pgettext_lazy("object of a verb", "collaboration"),
    pgettext_lazy("object of a verb", "delegation member"),
    pgettext_lazy("object of a verb", "focus area"),
    pgettext_lazy("object of a verb", "group"),
    pgettext_lazy("object of a verb", "institution"),
    pgettext_lazy("object of a verb", "participant"),
    pgettext_lazy("object of a verb", "person"),
    pgettext_lazy("object of a verb", "sector"),
    pgettext_lazy("object of a verb", "sent reminder"),
    pgettext_lazy("object of a verb", "signatory"),
    pgettext_lazy("object of a verb", "source"),
    pgettext_lazy("object of a verb", "status change"),
    pgettext_lazy("object of a verb", "user"),
    pgettext_lazy("object of a verb", "visit"),
)

# Django's messages that name a kind of record, translated by this project's
# catalogs (see the module's docstring). Marked so that makemessages keeps them.
DJANGO_MESSAGES = (
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop(
        "The {name} “{obj}” was added successfully. You may add another {name} below."
    ),
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop(
        "The {name} “{obj}” was changed successfully. You may edit it again below."
    ),
    gettext_noop(
        "The {name} “{obj}” was changed successfully. You may add another {name} below."
    ),
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
    gettext_noop("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?"),
    gettext_noop("Added {name} “{object}”."),
    gettext_noop("Changed {fields} for {name} “{object}”."),
    gettext_noop("Deleted {name} “{object}”."),
    gettext_noop("Cannot delete %(name)s"),
    gettext_noop("%(model_name)s with this %(field_label)s already exists."),
    gettext_noop("Delete selected %(verbose_name_plural)s"),
    gettext_noop("Successfully deleted %(count)d %(items)s."),
    gettext_noop(
        "Are you sure you want to delete the selected %(objects_name)s? All of the "
        "following objects and their related items will be deleted:"
    ),
    gettext_noop(
        'Are you sure you want to delete the %(object_name)s "%(escaped_object)s"? '
        "All of the following related items will be deleted:"
    ),
)


def as_object(opts):
    """The kind of record ``opts`` describes, as the object of a verb."""
    raw = str(opts.verbose_name_raw)
    form = pgettext(OBJECT, raw)
    # A kind not listed above, or a language without the entry: as Django has it.
    return opts.verbose_name if form == raw else form


class PhrasedTitlesMixin:
    """The change form's and the list's titles, and the add button, declined."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is None:
            phrase = gettext("Add %s")
        elif self.has_change_permission(request):
            phrase = gettext("Change %s")
        else:
            phrase = gettext("View %s")
        title = phrase % as_object(self.opts)
        extra_context = {"title": title, **(extra_context or {})}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        if IS_POPUP_VAR in request.GET:
            phrase = gettext("Select %s")
        elif self.has_change_permission(request):
            phrase = gettext("Select %s to change")
        else:
            phrase = gettext("Select %s to view")
        name = as_object(self.opts)
        extra_context = {
            "title": phrase % name,
            "add_label": gettext("Add %(name)s") % {"name": name},
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)
