"""Which cached public pages a change to a record renews (``cache.py``).

A record shows on the partner pages its lookups in ``SHOWN_ON`` lead to, and in
the lists (the partner list and the open data, which show every partner's first
signing and latest visit). A change renews those pages, before and after it (a
visit moved from one partner to another renews both). A kind of record named
nowhere here renews every page: a city (the home city and its districts are on
every page, any city may be where another's activity took place), sectors,
sources, the site settings (the office in every header and footer)...; the
kinds in ``NEVER_SHOWN`` renew none.
"""

from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)

from .cache import EVERYTHING, LISTS, invalidate_now_and_on_commit

APP_LABEL = "partnerships"

_AGREEMENT = ("partner__slug", "home_party__slug")
_VISIT = ("partner_city__slug", "home_party__slug")


def _through(prefix, paths):
    return tuple(f"{prefix}__{path}" for path in paths)


_COLLABORATION = _through("agreement", _AGREEMENT)
_INSTITUTION = (
    "city__slug",
    *_through("participations__collaboration", _COLLABORATION),
)

#: ``{model name: lookups from a record to the slugs of the pages that show it}``.
SHOWN_ON = {
    "Agreement": (
        *_AGREEMENT,
        # Its collaborations' activities, on the pages of the visits they were in.
        *_through("collaborations__activities__visit", _VISIT),
    ),
    "Signatory": _through("agreement", _AGREEMENT),
    "AgreementStatusChange": _through("agreement", _AGREEMENT),
    "Visit": (*_VISIT, *_through("activities__collaboration", _COLLABORATION)),
    "DelegationMember": _through("visit", _VISIT),
    "Collaboration": (*_COLLABORATION, *_through("activities__visit", _VISIT)),
    "CollaborationParticipant": _through("collaboration", _COLLABORATION),
    "Activity": (
        *_through("visit", _VISIT),
        *_through("collaboration", _COLLABORATION),
        "location__slug",
    ),
    "Institution": _INSTITUTION,
    "InstitutionAlias": _through("institution", _INSTITUTION),
    "Person": (
        *_through("delegations__visit", _VISIT),
        *_through("signatures__agreement", _AGREEMENT),
    ),
    # "Confirmed by <office>" shows on the confirmed record's pages.
    "ConfirmationRequest": (
        *_through("visit", _VISIT),
        *_through("collaboration", _COLLABORATION),
    ),
}

#: Kept for the office alone: never on a public page.
NEVER_SHOWN = {
    "PersonAlias",
    "Position",
    "Draft",
    "RoleChange",
    "SentReminder",
    "Merge",
    # Requests from the public are never public: a new one renews nothing
    # (nor can a flood of them keep emptying the page cache).
    "PublicRequest",
    "RequestEvent",
    # A partner's office and its address are the office's own.
    "PartnerContact",
}


def scopes_of(model, pk):
    """The page scopes a record shows in, as it is stored now."""
    name = model.__name__
    if name in NEVER_SHOWN or name.startswith("Historical"):
        return set()
    if name not in SHOWN_ON:
        return {EVERYTHING}
    scopes = {LISTS}
    stored = model._default_manager.filter(pk=pk)
    for path in SHOWN_ON[name]:
        scopes.update(
            f"city:{slug}" for slug in stored.values_list(path, flat=True) if slug
        )
    return scopes


def ours(sender):
    return sender._meta.app_label == APP_LABEL


def before_change(sender, instance, **kwargs):
    """Where the record showed before it changes (or goes)."""
    if ours(sender) and instance.pk is not None:
        instance._fa_shown_before = scopes_of(sender, instance.pk)


def after_save(sender, instance, **kwargs):
    if ours(sender):
        before = getattr(instance, "_fa_shown_before", set())
        renew(before | scopes_of(sender, instance.pk))


def after_delete(sender, instance, **kwargs):
    if ours(sender):
        renew(getattr(instance, "_fa_shown_before", None) or {EVERYTHING})


def links_changed(sender, instance, action, **kwargs):
    if ours(type(instance)) and action.startswith("post_"):
        renew(scopes_of(type(instance), instance.pk))


def renew(scopes):
    if scopes:
        invalidate_now_and_on_commit(sorted(scopes))


def connect():
    """Called from the app's ``ready()``."""
    for signal, receiver in (
        (pre_save, before_change),
        (pre_delete, before_change),
        (post_save, after_save),
        (post_delete, after_delete),
        (m2m_changed, links_changed),
    ):
        signal.connect(receiver, dispatch_uid=f"partnerships-pages-{receiver.__name__}")
