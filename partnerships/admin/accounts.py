"""Users and groups in the admin: the roles named in the reader's language."""

from django.contrib import admin

# Imported first, so Django's own registrations are made before ours replace
# them (autodiscovery would import it later than this package).
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy as _

from ..accounts.roles import ROLE_DESCRIPTIONS, role_name
from .phrases import PhrasedTitlesMixin

admin.site.unregister(Group)
admin.site.unregister(User)


@admin.register(Group)
class RoleAdmin(PhrasedTitlesMixin, GroupAdmin):
    list_display = ("role", "description")

    @admin.display(description=_("role"), ordering="name")
    def role(self, group):
        return role_name(group)

    @admin.display(description=_("what it may do"))
    def description(self, group):
        return ROLE_DESCRIPTIONS.get(group.name, "")


@admin.register(User)
class StaffUserAdmin(PhrasedTitlesMixin, UserAdmin):
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups" and field is not None:
            field.label_from_instance = role_name
        return field
