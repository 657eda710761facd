"""Who may give whom which role: nobody raises their own rights.

Only a superuser makes superusers, grants the Publisher or Administrator role,
gives permissions one by one, or changes what a role may do. An Administrator
manages Clerks and Officials, never their own roles. Staff status follows the
roles: a user in any role is staff, a user in none is not (a superuser always
is). Each change of someone's roles is kept as a ``RoleChange``.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from ..models import RoleChange
from .roles import ADMINISTRATOR, PUBLISHER, ROLE_NAMES, ROLES

#: The roles only a superuser grants.
PRIVILEGED = (PUBLISHER, ADMINISTRATOR)


def may_edit_user(actor, target):
    """Superusers edit anyone; others edit themselves and users who are
    neither superusers nor Publishers or Administrators."""
    if actor.is_superuser or target.pk == actor.pk:
        return True
    if target.is_superuser:
        return False
    return not target.groups.filter(name__in=PRIVILEGED).exists()


def role_change_refusal(actor, target, before, after):
    """Why ``actor`` may not change ``target``'s roles from ``before`` to
    ``after`` (sets of group names), or ``None`` if they may."""
    if actor.is_superuser or before == after:
        return None
    if target.pk is not None and target.pk == actor.pk:
        return _("You cannot change your own roles; ask a superuser.")
    privileged = sorted((before ^ after) & set(PRIVILEGED))
    if privileged:
        return _("Only a superuser can grant or withdraw the %(roles)s role.") % {
            "roles": ", ".join(privileged)
        }
    return None


def roles_of(user):
    """The names of ``user``'s groups, and whether they are a superuser."""
    return {
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "superuser": user.is_superuser,
    }


def settle_roles(user, actor, before):
    """After ``actor`` saved ``user``: staff status as the roles say, and the
    change of roles, if any, recorded."""
    after = roles_of(user)
    staff = user.is_superuser or bool(set(after["groups"]) & set(ROLES))
    if user.is_staff != staff:
        get_user_model().objects.filter(pk=user.pk).update(is_staff=staff)
        user.is_staff = staff
    if after != before:
        RoleChange.objects.create(
            user=user, changed_by=actor, before=before, after=after
        )


def describe_change(change):
    """A ``RoleChange`` in words: "+ Publisher, − Clerk", "made superuser"."""
    before, after = set(change.before["groups"]), set(change.after["groups"])

    def named(name):
        return str(ROLE_NAMES.get(name, name))

    parts = [f"+ {named(name)}" for name in sorted(after - before)]
    parts += [f"− {named(name)}" for name in sorted(before - after)]
    if change.after["superuser"] != change.before["superuser"]:
        parts.append(
            _("made superuser")
            if change.after["superuser"]
            else _("no longer superuser")
        )
    return ", ".join(parts)
