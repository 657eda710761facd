"""Users and groups in the admin: the roles named in the reader's language, and
granted only as ``accounts/escalation.py`` allows."""

from django import forms
from django.contrib import admin

# Imported first, so Django's own registrations are made before ours replace
# them (autodiscovery would import it later than this package).
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group, User
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..accounts.escalation import (
    describe_change,
    may_edit_user,
    role_change_refusal,
    roles_of,
    settle_roles,
)
from ..accounts.roles import ROLE_DESCRIPTIONS, role_name
from .phrases import PhrasedTitlesMixin

admin.site.unregister(Group)
admin.site.unregister(User)


@admin.register(Group)
class RoleAdmin(PhrasedTitlesMixin, GroupAdmin):
    """Roles are read by all who manage users, changed by superusers only: what
    a role may do is what everyone in it may do."""

    list_display = ("role", "description")

    @admin.display(description=_("role"), ordering="name")
    def role(self, group):
        return role_name(group)

    @admin.display(description=_("what it may do"))
    def description(self, group):
        return ROLE_DESCRIPTIONS.get(group.name, "")

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class StaffUserChangeForm(UserChangeForm):
    """Refuses a change of roles its author may not make, however it is posted."""

    actor = None

    def clean_groups(self):
        groups = self.cleaned_data.get("groups")
        if groups is None or self.actor is None:
            return groups
        before = (
            set(self.instance.groups.values_list("name", flat=True))
            if self.instance.pk
            else set()
        )
        refusal = role_change_refusal(
            self.actor, self.instance, before, {group.name for group in groups}
        )
        if refusal:
            raise forms.ValidationError(refusal)
        return groups


@admin.register(User)
class StaffUserAdmin(PhrasedTitlesMixin, UserAdmin):
    form = StaffUserChangeForm
    readonly_fields = ("is_staff", "may_do", "role_history")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        hidden = set() if request.user.is_superuser else {"user_permissions"}
        shown = []
        for name, options in fieldsets:
            fields = [field for field in options["fields"] if field not in hidden]
            if "groups" in fields:
                fields += ["may_do", "role_history"]
            shown.append((name, {**options, "fields": fields}))
        return shown

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
            if obj is not None and obj.pk == request.user.pk:
                readonly.append("groups")
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_edit_user(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or may_edit_user(request.user, obj))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups" and field is not None:
            field.label_from_instance = role_name
        return field

    def save_model(self, request, obj, form, change):
        # The roles as they were, for the record of what changed.
        request._fa_roles_before = (
            roles_of(User.objects.get(pk=obj.pk))
            if obj.pk
            else {"groups": [], "superuser": False}
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        settle_roles(form.instance, request.user, request._fa_roles_before)

    @admin.display(description=_("what they may do"))
    def may_do(self, user):
        if user.is_superuser:
            return gettext("Everything: a superuser holds every permission.")
        lines = [
            (role_name(group), ROLE_DESCRIPTIONS.get(group.name, ""))
            for group in user.groups.order_by("name")
        ]
        if not lines:
            return gettext("Nothing: no role.")
        return format_html_join("", "<p><strong>{}</strong>: {}</p>", lines)

    @admin.display(description=_("changes of roles"))
    def role_history(self, user):
        changes = list(user.role_changes.select_related("changed_by")[:20])
        if not changes:
            return "—"
        return format_html_join(
            "",
            "<p>{} — {} ({})</p>",
            (
                (
                    f"{change.changed_at:%Y-%m-%d %H:%M}",
                    describe_change(change),
                    change.changed_by or "?",
                )
                for change in changes
            ),
        )
