"""The public's contact form: a question, or a proposal of an exchange.

What a person types is checked field by field, each error named beside its
field, and the form comes back with everything they wrote. The spam rules that
need no database are here too (``public/spam.py``): the honeypot and the signed
moment the form was shown.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import public_requests
from ..models import City, PublicRequest, Sector
from ..models.site import telephone_validator
from . import spam

#: The partner city's choice for a city that is not (yet) a partner.
OTHER_CITY = "other"
#: The honeypot's name: a field no person sees, which programs fill in.
HONEYPOT = "extra"


class MessageField(forms.CharField):
    """A message whose line breaks count one character each, as the browser's
    counter counts them (it sends each as two)."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


class ContactForm(forms.Form):
    #: Set when the form came back sooner than a person fills it in.
    too_fast = False

    organisation = forms.CharField(
        label=_("Organisation (optional)"),
        max_length=200,
        required=False,
        help_text=_("Your school, company, association or institution, if any."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("We send the acknowledgement and our reply to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    telephone = forms.CharField(
        label=_("Telephone (optional)"),
        max_length=50,
        required=False,
        validators=[telephone_validator],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    city = forms.ChoiceField(label=_("Partner city"))
    other_city = forms.CharField(
        label=_("Which city? (for “Another city”)"),
        max_length=200,
        required=False,
        help_text=_("Its name and country."),
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        required=False,
        empty_label=_("Several, or not sure"),
    )
    message = MessageField(
        label=_("Your message"),
        max_length=PublicRequest.MESSAGE_MAX_LENGTH,
        help_text=_("What you would like to do or to know. At most 5,000 characters."),
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the office keeps what I send to answer it, as the "
            "privacy notice says."
        ),
        # The template writes it with the notice's link (``contact.html``);
        # here it gives the box its description for screen readers.
        help_text=_("Read the privacy notice: what we keep, why, and for how long."),
        error_messages={
            "required": _(
                "Tick the box to agree to the privacy notice: without it we "
                "cannot keep or answer your request."
            )
        },
    )
    extra = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    shown = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        partners = City.objects.partners_of_home().order_by("name_en", "pk")
        self.partners = {str(city.pk): city for city in partners}
        self.fields["city"].choices = [
            ("", _("Choose a city")),
            *((pk, city.name) for pk, city in self.partners.items()),
            (OTHER_CITY, _("Another city")),
        ]
        # A partner page's link names its city by slug (``?city=voronezh``).
        slugs = {city.slug: pk for pk, city in self.partners.items()}
        wanted = self.initial.get("city")
        if wanted:
            self.initial["city"] = slugs.get(wanted, "")
        # Every form shown, first or again, carries a fresh moment.
        self.initial["shown"] = spam.stamp()
        if self.is_bound:
            data = self.data.copy()
            data["shown"] = self.initial["shown"]
            self.sent_stamp = self.data.get("shown", "")
            self.data = data

    def is_bait(self):
        """The honeypot is filled in: sent by a program, not a person."""
        return bool(self.data.get(HONEYPOT, "").strip())

    def clean_message(self):
        message = self.cleaned_data["message"]
        if public_requests.is_repeat(message):
            raise forms.ValidationError(
                _(
                    "We have already received this very message. There is no need "
                    "to send it again: we answer every request once."
                ),
                code="repeat",
            )
        return message

    def clean(self):
        cleaned = super().clean()
        age = spam.form_age(self.sent_stamp)
        if age is None or age > spam.MAXIMUM_FORM_AGE_SECONDS:
            raise forms.ValidationError(
                _(
                    "The form could not be checked, or it was open for too long. "
                    "Please send it again."
                ),
                code="stamp",
            )
        if age < spam.MINIMUM_FILL_SECONDS:
            self.too_fast = True
            raise forms.ValidationError(
                _("That was very quick. Please read your message over, then send it."),
                code="too_fast",
            )
        city = cleaned.get("city")
        if city == OTHER_CITY:
            if not cleaned.get("other_city", "").strip():
                self.add_error(
                    "other_city",
                    forms.ValidationError(
                        _("Name the city you have in mind, and its country."),
                        code="required",
                    ),
                )
            cleaned["partner_city"] = None
        elif city:
            cleaned["partner_city"] = self.partners.get(city)
            cleaned["other_city"] = ""
        return cleaned
