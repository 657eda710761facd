"""The partner's page at ``/confirm/<token>/``: the one record sent to them, in
their contact's language, and the form to confirm, correct or disown it; the
page that refuses a link (in three languages) and the thank-you page.

No account is needed: the link is the credential (``confirmations.open_token``).
So every response here is the reader's alone: never stored by any cache
(``no-store``; the page cache never sees these views), never sent on as a
Referer, never indexed. The token is written in no page (the form posts to the
address it came from; the language links lead to the partner list) and in no
log line (``foreignaffairs/access_log.py``).
"""

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from .. import confirmations, office
from ..models import Collaboration, Visit
from ..models.choices import ConfirmationAnswer
from ..secret_links import private
from . import form_keys, spam

#: The longest text a partner may write in one field.
MAX_TEXT = 5000
#: Empty rows offered to add delegation members.
NEW_MEMBER_ROWS = 5
#: Requests one client address may make to these pages in an hour.
REQUESTS_PER_HOUR = 30
RATE_KEY = "partnerships:confirm-rate"
THANKS_SALT = "partnerships.public.confirm.thanks"
THANKS_MAX_AGE_SECONDS = 60 * 60
LANGUAGES = ("en", "zh-hans", "ru")

#: Each refusal: its title, what it means, and its HTTP status.
REFUSALS = {
    "tampered": (
        gettext_lazy("This link is not valid"),
        gettext_lazy(
            "The address is incomplete or has been changed. Open the link exactly "
            "as it is in our e-mail, or ask us for a new one."
        ),
        404,
    ),
    "unknown": (
        gettext_lazy("This link is not valid"),
        gettext_lazy(
            "We did not send this link, or a newer one has replaced it. Use the "
            "link in our latest e-mail, or ask us for a new one."
        ),
        404,
    ),
    "expired": (
        gettext_lazy("This link has expired"),
        gettext_lazy(
            "The link worked for a limited time, which is over. Please ask us for "
            "a new one."
        ),
        410,
    ),
    "revoked": (
        gettext_lazy("This link has been withdrawn"),
        gettext_lazy(
            "The office withdrew this link, perhaps because it sent a new one. "
            "Use the link in our latest e-mail, or ask us for a new one."
        ),
        410,
    ),
    "used": (
        gettext_lazy("This link has already been used"),
        gettext_lazy(
            "An answer has already been sent with this link, and a link is used "
            "once. To add something, please write to us."
        ),
        410,
    ),
    "flood": (
        gettext_lazy("Too many requests"),
        gettext_lazy(
            "Many requests have come from your address in the last hour. Please "
            "wait an hour and open the link again."
        ),
        429,
    ),
}


# Headers and the rate limit -----------------------------------------------------


def over_limit(request):
    """Count this request; whether the address has made its hour's worth.

    Counted as the contact form counts (``spam.count``): by a digest of the
    address, in the cache; a cache that is down counts nothing.
    """
    return spam.count(request, prefix=RATE_KEY) > REQUESTS_PER_HOUR


# The form -----------------------------------------------------------------------


class Text(forms.CharField):
    """A text field with a limited length that says clearly why a NUL is refused."""

    def __init__(self, *, max_length=MAX_TEXT, required=False, **kwargs):
        super().__init__(max_length=max_length, required=required, **kwargs)
        self.validators = [
            validator
            for validator in self.validators
            if not isinstance(validator, ProhibitNullCharactersValidator)
        ]
        self.validators.append(
            ProhibitNullCharactersValidator(
                message=gettext_lazy(
                    "The text holds a NUL character (an invisible control "
                    "character) that cannot be kept: remove it and send again."
                )
            )
        )


#: Labels of the corrections that are not one of the record's own fields.
NOTE_LABELS = {
    "sectors": gettext_lazy("sectors"),
    "participants": gettext_lazy("participants"),
}
SHORT_FIELDS = {"title", "start_date", "end_date", "started_on", "ended_on"}
DATE_HELP = gettext_lazy("As precisely as you know it: 14 May 2019, May 2019 or 2019.")


class AnswerForm(forms.Form):
    """The partner's answer: confirm, correct or disown, with who answers."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Your answer"),
        choices=[
            (ConfirmationAnswer.CONFIRMED, gettext_lazy("The record is correct")),
            (
                ConfirmationAnswer.CORRECTED,
                gettext_lazy("The record needs corrections (write them below)"),
            ),
            (
                ConfirmationAnswer.NOT_OURS,
                gettext_lazy("This is not our delegation"),
            ),
        ],
        widget=forms.RadioSelect,
    )
    comment = Text(
        label=gettext_lazy("Comment (optional)"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    respondent_name = Text(
        label=gettext_lazy("Your name"), max_length=200, required=True
    )
    respondent_office = Text(
        label=gettext_lazy("Your office"), max_length=300, required=True
    )

    def __init__(self, confirm_request, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.confirm_request = confirm_request
        record = confirm_request.record
        self.correction_names = []
        for name, how in confirmations.CORRECTABLE[type(record)].items():
            if how == "note":
                label = NOTE_LABELS[name]
            else:
                label = type(record)._meta.get_field(name).verbose_name
            self.fields[f"fix_{name}"] = Text(
                label=_("Correct the %(field)s") % {"field": label},
                help_text=DATE_HELP if how == "date" else "",
                # A correction is short: the box grows as it is typed in.
                widget=forms.TextInput
                if name in SHORT_FIELDS
                else forms.Textarea(attrs={"rows": 2}),
            )
            self.correction_names.append(name)
        self.member_rows = []
        if isinstance(record, Visit):
            for member in record.members.select_related("person"):
                self._member_row(
                    member.pk,
                    _("%(member)s: correct the name") % {"member": member},
                    _("%(member)s: correct the title") % {"member": member},
                )
            for number in range(1, NEW_MEMBER_ROWS + 1):
                self._member_row(
                    None,
                    _("New member %(number)d: name") % {"number": number},
                    _("New member %(number)d: title") % {"number": number},
                    prefix=f"new_{number}",
                )

    def _member_row(self, member, name_label, title_label, prefix=None):
        prefix = prefix or f"member_{member}"
        self.fields[f"{prefix}_name"] = Text(label=name_label, max_length=200)
        self.fields[f"{prefix}_title"] = Text(label=title_label, max_length=300)
        self.member_rows.append((member, prefix))

    def correction_fields(self):
        return [self[f"fix_{name}"] for name in self.correction_names]

    def member_fields(self):
        return [
            (member, self[f"{prefix}_name"], self[f"{prefix}_title"])
            for member, prefix in self.member_rows
        ]

    def clean(self):
        data = super().clean()
        record = self.confirm_request.record
        corrections = {}
        for name in self.correction_names:
            value = data.get(f"fix_{name}")
            if not value:
                continue
            try:
                corrections.update(
                    confirmations.clean_corrections(record, {name: value})
                )
            except ValidationError as error:
                self.add_error(f"fix_{name}", error)
        members = [
            {
                "member": member,
                "name": data.get(f"{prefix}_name", ""),
                "title": data.get(f"{prefix}_title", ""),
            }
            for member, prefix in self.member_rows
            if data.get(f"{prefix}_name") or data.get(f"{prefix}_title")
        ]
        data["corrections"], data["members"] = corrections, members
        kind = data.get("kind")
        if kind == ConfirmationAnswer.CORRECTED and not (corrections or members):
            self.add_error(
                "kind",
                _("Write at least one correction below, or choose another answer."),
            )
        elif kind and kind != ConfirmationAnswer.CORRECTED and (corrections or members):
            self.add_error(
                "kind",
                _(
                    "You wrote corrections: choose “The record needs corrections” "
                    "to send them."
                ),
            )
        return data


# The views ----------------------------------------------------------------------


def refused(request, reason):
    """The page that says why a link cannot be used, in every language."""
    title, text, status = REFUSALS[reason]
    current = translation.get_language()
    order = sorted(LANGUAGES, key=lambda code: code != current)
    messages = []
    for code in order:
        with translation.override(code):
            messages.append({"code": code, "title": str(title), "text": str(text)})
    response = render(
        request,
        "partnerships/confirm/refused.html",
        {
            "reason": reason,
            "refusals": messages,
            # Links to other languages lead to the partner list, not here.
            "request_path": "",
        },
        status=status,
    )
    return private(response)


def record_context(record):
    """What the page shows of the record, read once."""
    if isinstance(record, Visit):
        members = list(record.members.select_related("person"))
        return {
            "kind": "visit",
            "members": members,
            "sectors": list(record.sectors.all()),
        }
    if isinstance(record, Collaboration):
        return {
            "kind": "collaboration",
            "participants": list(
                record.participants.select_related("institution").order_by("side", "pk")
            ),
            "focus_areas": list(record.focus_areas.all()),
        }
    raise TypeError(type(record).__name__)


# Django's CSRF check would refuse every answer: the page's no-referrer policy
# makes the browser post with "Origin: null". The form has its own protection
# (form_keys), checked before anything is read from it.
@csrf_exempt
def confirm(request, token):
    """The partner's page: the record and the answer form."""
    if over_limit(request):
        return refused(request, "flood")
    try:
        confirm_request = confirmations.open_token(token)
    except confirmations.LinkRefused as refusal:
        return refused(request, refusal.reason)
    language = confirm_request.language
    status = 200
    with translation.override(language):
        if request.method == "POST":
            form = AnswerForm(confirm_request, request.POST)
            if not form_keys.verify(request, confirm_request.pk):
                # Nothing is saved; the text comes back to be sent again.
                form.is_valid()
                form.add_error(
                    None,
                    _(
                        "Your answer could not be accepted from this page: it was "
                        "open too long, or your browser did not keep our cookie. "
                        "Nothing was lost: check it and send it again."
                    ),
                )
                status = 403
            elif form.is_valid():
                try:
                    answered = confirmations.answer(
                        confirm_request,
                        form.cleaned_data["kind"],
                        form.cleaned_data["respondent_name"],
                        form.cleaned_data["respondent_office"],
                        comment=form.cleaned_data["comment"],
                        corrections=form.cleaned_data["corrections"],
                        members=form.cleaned_data["members"],
                    )
                except confirmations.LinkRefused as refusal:
                    return refused(request, refusal.reason)
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    return private(redirect(thanks_url(answered)))
            status = status if status != 200 else 400
        else:
            form = AnswerForm(confirm_request)
        record = confirm_request.record
        key, form_key = form_keys.issue(request, confirm_request.pk)
        response = render(
            request,
            "partnerships/confirm/page.html",
            {
                "form_key": form_key,
                "form_key_field": form_keys.FIELD,
                "confirm_request": confirm_request,
                "record": record,
                "form": form,
                "office": office.identity(language),
                "request_path": "",
                **record_context(record),
            },
            status=status,
        )
    return private(form_keys.set_cookie(response, key), language)


def thanks_url(confirm_request):
    ref = signing.dumps(
        [confirm_request.language, confirm_request.answer], salt=THANKS_SALT
    )
    return f"{reverse('partnerships:confirm-thanks')}?ref={ref}"


def thanks(request):
    """After an answer: thanks, in the language of the page answered."""
    try:
        language, kind = signing.loads(
            request.GET.get("ref", ""),
            salt=THANKS_SALT,
            max_age=THANKS_MAX_AGE_SECONDS,
        )
    except (signing.BadSignature, TypeError, ValueError):
        language, kind = translation.get_language(), None
    if language not in LANGUAGES:
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        response = render(
            request,
            "partnerships/confirm/thanks.html",
            {"kind": kind, "office": office.identity(language), "request_path": ""},
        )
    return private(response, language)
