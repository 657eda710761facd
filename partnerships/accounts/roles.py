"""The office's roles as auth groups, and the permissions each one holds.

``setup_roles`` makes every group hold exactly the permissions listed here, so
running it again after a change to this file brings existing groups in line.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..models import PUBLISHABLE_MODELS

CLERK = "Clerk"
OFFICIAL = "Official"
PUBLISHER = "Publisher"
ADMINISTRATOR = "Administrator"

# The groups' names are kept in English (permissions are looked up by them); people
# read them in their own language.
ROLE_NAMES = {
    CLERK: _("Clerk"),
    OFFICIAL: _("Official"),
    PUBLISHER: _("Publisher"),
    ADMINISTRATOR: _("Administrator"),
    "Two-factor required": _("Two-factor required"),
}


def role_name(group):
    """A group's name in the reader's language (its own name if not a role)."""
    return str(ROLE_NAMES.get(group.name, group.name))


ROLE_DESCRIPTIONS = {
    CLERK: _(
        "Logs and edits visits, people, institutions, collaborations and "
        "activities; imports visit spreadsheets; answers requests from the public."
    ),
    OFFICIAL: _("Reads everything, exports any list and the period report."),
    PUBLISHER: _("Decides what is public."),
    ADMINISTRATOR: _("Users, groups, reference data and the site settings."),
}

APP = "partnerships"

# Every model of the app, including the rows edited inside other records' pages.
ALL_MODELS = (
    "source",
    "sector",
    "city",
    "person",
    "personalias",
    "position",
    "agreement",
    "agreementstatuschange",
    "signatory",
    "visit",
    "delegationmember",
    "institution",
    "institutionalias",
    "focusarea",
    "collaboration",
    "collaborationparticipant",
    "activity",
    "sentreminder",
    "columnmapping",
    "partnercontact",
    "confirmationrequest",
)
#: Requests from the public (their personal data): for those who handle them
#: alone, not every role that reads the records. Officials see their counts on
#: the dashboard; Publishers have nothing to decide about them.
TRIAGE = {"partnerships.view_publicrequest", "partnerships.change_publicrequest"}
#: The office's identity, edited by Administrators (one row, never deleted).
SITE_SETTINGS = ("sitesettings",)
PUBLISHABLE = tuple(model._meta.model_name for model in PUBLISHABLE_MODELS)
EDIT = ("add", "change", "view")
EVERYTHING = ("add", "change", "delete", "view")


def _perms(models, actions, app=APP):
    return {f"{app}.{action}_{model}" for model in models for action in actions}


def _clerk():
    # What a clerk keeps, rows edited inline with them, and what those pages
    # need to look up (cities and agreements are chosen in autocomplete fields).
    kept = (
        "visit",
        "delegationmember",
        "person",
        "personalias",
        "position",
        "institution",
        "institutionalias",
        "collaboration",
        "collaborationparticipant",
        "activity",
        # The column mappings of the office's own files, saved while importing.
        "columnmapping",
        # The partner cities' offices they ask to confirm records.
        "partnercontact",
    )
    return (
        _perms(kept, EVERYTHING)
        | _perms(("city", "agreement", "agreementstatuschange", "signatory"), EDIT)
        | _perms(("source", "focusarea"), EDIT)
        | _perms(("sector",), ("view",))
        | {f"{APP}.import_visit"}
        # They send records to the partner to confirm (add), revoke and re-send
        # the links and decide on the answers (change); a request is never
        # deleted, it is the record's evidence.
        | _perms(("confirmationrequest",), EDIT)
        # They triage the requests from the public.
        | TRIAGE
    )


def _official():
    return (
        _perms(ALL_MODELS, ("view",))
        | _perms(SITE_SETTINGS, ("view",))
        | _perms(PUBLISHABLE, ("export",))
        | {f"{APP}.view_report"}
    )


def _publisher():
    return (
        _perms(ALL_MODELS, ("view",))
        | _perms(PUBLISHABLE, ("change",))
        | {f"{APP}.publish_{model}" for model in PUBLISHABLE}
    )


def _administrator():
    reference = ("sector", "focusarea", "source")
    return (
        _perms(ALL_MODELS, ("view",))
        | _perms(set(ALL_MODELS) - {"sentreminder", "confirmationrequest"}, EVERYTHING)
        | _perms(("confirmationrequest",), EDIT)
        | _perms(reference, EVERYTHING)
        | _perms(("sentreminder",), ("view", "delete"))
        | _perms(("user", "group"), EVERYTHING, app="auth")
        | _perms(SITE_SETTINGS, EDIT)
        # They reassign requests, and erase one's personal data when its
        # sender asks (before purge_requests would).
        | TRIAGE
        | {f"{APP}.erase_publicrequest"}
    )


ROLES = {
    CLERK: _clerk,
    OFFICIAL: _official,
    PUBLISHER: _publisher,
    ADMINISTRATOR: _administrator,
}


def role_permissions(role):
    """The ``app_label.codename`` strings the role holds."""
    return ROLES[role]()


@transaction.atomic
def setup_roles():
    """Create or update the groups; returns ``{role: created}``."""
    result = {}
    for role in ROLES:
        wanted = role_permissions(role)
        permissions = []
        for name in sorted(wanted):
            app_label, codename = name.split(".")
            permissions.append(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )
        group, created = Group.objects.get_or_create(name=role)
        group.permissions.set(permissions)
        result[role] = created
    return result
