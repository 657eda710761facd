"""Admin autocomplete widgets that survive a value that is not a valid key.

Django's own ``AutocompleteSelect`` looks up the submitted value when it shows a
form again; a value such as ``"Voronezh"`` posted for a city's id makes that look-up
raise, and the page fails with a server error instead of showing the form's error.
These widgets drop such values first, so the form comes back with its message.
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class ValidKeysOnlyMixin:
    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        to_field = getattr(remote, "field_name", remote.model._meta.pk.attname)
        key = remote.model._meta.get_field(to_field)
        valid = []
        for item in value:
            try:
                key.to_python(item)
            except ValidationError:
                continue
            valid.append(item)
        return super().optgroups(name, valid, attr)


class SafeAutocompleteSelect(ValidKeysOnlyMixin, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(ValidKeysOnlyMixin, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteAdminMixin:
    """For ModelAdmins and inlines: their autocomplete fields use the safe widgets."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
