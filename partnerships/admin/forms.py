"""Admin forms and inline formsets, with the checks a clerk's entry must pass."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..admin_urls import change_url
from ..models import (
    Activity,
    Collaboration,
    Institution,
    Person,
    Position,
    Visit,
    localized_fields,
)
from ..models.choices import HOME_ROLES, DelegationRole, Direction
from .date_forms import DatesAsKnownForm, EachDateAsKnownForm, PartialDateField


class VisitAdminForm(DatesAsKnownForm):
    class Meta:
        model = Visit
        fields = (
            "direction",
            "status",
            "partner_city",
            "home_party",
            "start_date",
            "end_date",
            "date_note",
            "title",
            "purpose",
            "programme",
            "outcomes",
            "sectors",
            "published",
            "public_summary",
            "internal_notes",
            "sources",
            "head_level",
            "head_unrecorded",
        )
        widgets = {
            "sectors": forms.CheckboxSelectMultiple,
            **{
                name: forms.Textarea(attrs={"rows": 3, "cols": 80})
                for name in (
                    "purpose",
                    "programme",
                    "outcomes",
                    "public_summary",
                    "internal_notes",
                )
            },
        }

    def clean(self):
        cleaned_data = super().clean()
        self.warn_of_likely_duplicates(cleaned_data)
        home_party = cleaned_data.get("home_party")
        partner_city = cleaned_data.get("partner_city")
        if home_party and home_party.role not in HOME_ROLES:
            self.add_error(
                "home_party",
                _("%(city)s is not the home municipality or one of its districts.")
                % {"city": home_party.name},
            )
        if partner_city and partner_city.role in HOME_ROLES:
            self.add_error(
                "partner_city",
                _("%(city)s is on the home side; choose the partner city.")
                % {"city": partner_city.name},
            )
        return cleaned_data

    def warn_of_likely_duplicates(self, cleaned_data):
        """Stop once, with links, if this may be a visit already recorded.

        A warning, not a refusal: ticking "a different visit" saves it.
        """
        if self.errors:
            return
        visit = Visit(
            pk=self.instance.pk,
            partner_city=cleaned_data.get("partner_city"),
            direction=cleaned_data.get("direction"),
            start_date=cleaned_data.get("start_date"),
            end_date=cleaned_data.get("end_date"),
            date_precision=self.instance.date_precision,
        )
        others = Visit.objects.likely_same_as(visit)
        warn_once(
            self,
            DIFFERENT_VISIT,
            others,
            _(
                "This may be a visit already recorded: {records}. Same partner, "
                "same direction, and dates that overlap."
            ),
            _("It is a different visit: save it."),
        )


def warn_once(form, tick, records, sentence, tick_label):
    """Stop the save once, with links to ``records``: a warning, not a refusal.

    Ticking ``tick`` (a box in the message) and saving again goes on.
    """
    if not records or form.data.get(tick):
        return
    links = format_html_join(
        "; ",
        '<a href="{}" target="_blank" rel="noopener">{}</a>',
        (
            (
                change_url(record),
                record,
            )
            for record in records
        ),
    )
    raise ValidationError(
        format_html(
            '{} <label><input type="checkbox" name="{}"> {}</label>',
            format_html(sentence, records=links),
            tick,
            tick_label,
        ),
        code="likely_duplicate",
    )


DIFFERENT_VISIT = "different_visit"


class NamesakesForm(forms.ModelForm):
    """A person or institution, checked before saving against the records of its
    city that go by one of its names (``KnownByNamesQuerySet.namesakes``)."""

    #: The tick that saves anyway, and the warning's words.
    tick = ""
    sentence = ""
    tick_label = ""

    def clean(self):
        cleaned_data = super().clean()
        if self.errors:
            return cleaned_data
        model = self._meta.model
        record = model(
            pk=self.instance.pk,
            city=cleaned_data.get("city"),
            **{name: cleaned_data.get(name) or "" for name in model.NAMES},
        )
        namesakes = list(model.objects.namesakes(record).select_related("city"))
        warn_once(self, self.tick, namesakes, self.sentence, self.tick_label)
        return cleaned_data


NOT_THE_SAME_PERSON = "different_person"
NOT_THE_SAME_INSTITUTION = "different_institution"


class PersonAdminForm(NamesakesForm):
    tick = NOT_THE_SAME_PERSON
    sentence = _(
        "Someone of this city already goes by one of these names: "
        "{records}. Open them to check it is not the same person."
    )
    tick_label = _("It is a different person: save.")

    class Meta:
        model = Person
        fields = ("name", "name_local", "city", "current_title", "notes")


class InstitutionAdminForm(NamesakesForm):
    tick = NOT_THE_SAME_INSTITUTION
    sentence = _(
        "An institution of this city already goes by one of these names: "
        "{records}. Open them to check it is not the same one."
    )
    tick_label = _("It is a different institution: save.")

    class Meta:
        model = Institution
        fields = (
            "name",
            "name_local",
            "kind",
            "city",
            "website",
            "description",
            "published",
            "internal_notes",
            "sources",
        )


class CollaborationAdminForm(EachDateAsKnownForm):
    started_on = PartialDateField(label=_("started on"))
    ended_on = PartialDateField(label=_("ended on"))
    dates_as_known = {
        "started_on": ("started_on", "started_precision"),
        "ended_on": ("ended_on", "ended_precision"),
    }
    ends_before_start = _("The collaboration cannot end before it starts.")

    class Meta:
        model = Collaboration
        fields = (
            "agreement",
            "sector",
            "status",
            "title",
            "summary",
            "focus_areas",
            "started_on",
            "ended_on",
            "published",
            "internal_notes",
            "sources",
        )


class PositionForm(EachDateAsKnownForm):
    """A post held, its dates typed as precisely as they are known."""

    start = PartialDateField(
        label=_("from"),
        widget=forms.TextInput(attrs={"size": 12, "placeholder": "2019 / 2019-05"}),
    )
    end = PartialDateField(
        label=_("until"),
        widget=forms.TextInput(attrs={"size": 12, "placeholder": "2023 / 2023-06"}),
    )

    dates_as_known = {
        "start": ("start_date", "start_precision"),
        "end": ("end_date", "end_precision"),
    }
    ends_before_start = _("The post cannot end before it began.")

    class Meta:
        model = Position
        fields = ("title", "start", "end")


class DelegationMemberFormSet(forms.BaseInlineFormSet):
    """Checks the delegation as a whole: its head and which side it came from."""

    def clean(self):
        super().clean()
        visit = self.instance
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.is_valid()
            and form.cleaned_data
            and not form.cleaned_data.get("DELETE")
        ]
        heads = [row for row in rows if row.get("role") == DelegationRole.HEAD]
        errors = []
        if len(heads) > 1:
            errors.append(
                _("A delegation has one head; %(count)d are marked.")
                % {"count": len(heads)}
            )
        if not heads and not visit.head_unrecorded:
            errors.append(
                _(
                    "Add the head of delegation (role “Head of delegation”), or tick "
                    "“head of delegation not recorded” if the source does not say "
                    "who led it."
                )
            )
        if heads and visit.head_unrecorded:
            errors.append(
                _(
                    "“Head of delegation not recorded” is ticked, but a head is "
                    "listed. Untick the box or change that member's role."
                )
            )
        errors.extend(self.direction_errors(visit, rows))
        if errors:
            raise ValidationError(errors)
        self.propose_titles(visit)

    def propose_titles(self, visit):
        """A member saved without a title gets the one their recorded position
        gives for the visit's dates, in every language it is written in."""
        for form in self.forms:
            row = form.cleaned_data if form.is_valid() else {}
            person = self.person_of(row) if row and not row.get("DELETE") else None
            if person is None or any(
                row.get(column) for column in localized_fields("title_at_time")
            ):
                continue
            position = person.position_on(
                visit.start_date, visit.end_date, visit.date_precision
            )
            if position is None:
                continue
            for member_column, position_column in zip(
                localized_fields("title_at_time"),
                localized_fields("title"),
                strict=True,
            ):
                setattr(
                    form.instance, member_column, getattr(position, position_column)
                )

    @staticmethod
    def person_of(row):
        """The row's Person; an inline the user may only view holds just its id."""
        person = row.get("person")
        if person is None or isinstance(person, Person):
            return person
        return Person.objects.select_related("city").filter(pk=person).first()

    def direction_errors(self, visit, rows):
        """People whose city puts them on the wrong side for the visit's direction."""
        errors = []
        for row in rows:
            person = self.person_of(row)
            city = person.city if person is not None else None
            if city is None or not visit.direction:
                continue
            if visit.direction == Direction.INBOUND and city.role in HOME_ROLES:
                errors.append(
                    _(
                        "%(person)s represents %(city)s, on the home side, but this "
                        "is an inbound visit (a delegation from the partner). Check "
                        "the direction or the person."
                    )
                    % {"person": person.name, "city": city.name}
                )
            elif (
                visit.direction == Direction.OUTBOUND
                and visit.partner_city_id
                and city.pk == visit.partner_city_id
            ):
                errors.append(
                    _(
                        "%(person)s represents %(city)s, the partner city, but this "
                        "is an outbound visit (a delegation from the home side). "
                        "Check the direction or the person."
                    )
                    % {"person": person.name, "city": city.name}
                )
        return errors


class ActivityAdminForm(DatesAsKnownForm):
    class Meta:
        model = Activity
        fields = (
            "kind",
            "title",
            "description",
            "collaboration",
            "visit",
            "location",
            "start_date",
            "end_date",
            "date_note",
            "published",
            "internal_notes",
            "sources",
        )


class VisitActivityForm(DatesAsKnownForm):
    """An activity entered on its visit's page."""

    # On a new visit the activity's visit_id is still empty while the forms are
    # checked (the visit is saved after them), which Activity.clean would read as
    # "belongs nowhere" before it checks anything else. It does belong to this
    # visit, so a placeholder id stands in while the model's checks run.
    _visit_pending = False

    def clean(self):
        cleaned_data = super().clean()
        visit = cleaned_data.get("visit")
        if visit is not None and visit.pk is None:
            del cleaned_data["visit"]
            self._visit_pending = True
        return cleaned_data

    def _post_clean(self):
        if self._visit_pending:
            self.instance.visit_id = -1
        try:
            super()._post_clean()
        finally:
            if self._visit_pending:
                self.instance.visit_id = None
