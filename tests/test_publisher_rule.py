"""The Publisher decides what is public, on every path: each write path × the
four roles × a published and an unpublished record."""

from django.test import TestCase
from django.urls import reverse

from partnerships.accounts.roles import (
    ADMINISTRATOR,
    CLERK,
    OFFICIAL,
    PUBLISHER,
    setup_roles,
)
from partnerships.models import Draft, Visit
from partnerships.models.partial_dates import iso
from partnerships.spreadsheets.reading import read_table
from partnerships.spreadsheets.resources import VisitResource
from tests.admin.helpers import change_form_data, change_url, initial_data
from tests.factories import (
    make_activity,
    make_agreement,
    make_city,
    make_collaboration,
    make_head,
    make_home,
    make_institution,
    make_user,
    make_visit,
)

NEW = "Talks on river ports."


class PublisherRuleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        setup_roles()
        cls.users = {
            role: make_user(role.lower(), groups=[role])
            for role in (CLERK, OFFICIAL, PUBLISHER, ADMINISTRATOR)
        }

    def make(self, published):
        """The visit, published or not since it was first saved."""
        self.visit = make_visit(
            home_party=make_home(),
            title="Spring visit",
            public_summary="Talks.",
            status="planned",
            published=published,
        )
        make_head(self.visit)
        make_agreement(
            home_party=self.visit.home_party, partner=self.visit.partner_city
        )

    # The paths ---------------------------------------------------------------------

    def by_form(self, user):
        self.client.force_login(user)
        response = self.client.get(change_url(self.visit))
        if response.status_code != 200 or "adminform" not in response.context:
            return
        data = change_form_data(response)
        data["public_summary_en"] = NEW
        self.client.post(change_url(self.visit), data)

    def by_revert(self, user):
        first = self.visit.history.earliest("history_date")
        Visit.objects.filter(pk=self.visit.pk).update(public_summary_en="Later.")
        self.visit.public_summary_en = "Later."
        self.visit._change_reason = "set up"
        self.visit.save()
        self.client.force_login(user)
        url = reverse(
            "admin:partnerships_visit_simple_history",
            args=[self.visit.pk, first.history_id],
        )
        response = self.client.get(url)
        if response.status_code == 200 and "adminform" in (response.context or {}):
            self.client.post(url, initial_data(response))

    def by_action(self, user):
        self.client.force_login(user)
        self.client.post(
            reverse("admin:partnerships_visit_changelist"),
            {"action": "mark_completed", "_selected_action": [self.visit.pk]},
        )

    def by_import(self, user):
        if not user.has_perm("partnerships.import_visit"):
            return
        partner = self.visit.partner_city
        text = (
            "Direction,Home party,Partner city,Partner country,Start date,Title,"
            "Public summary\n"
            f"inbound,Chongqing,{partner.name},{partner.country.name},"
            f"{iso(self.visit.start_date, self.visit.date_precision)},"
            f"Spring visit,{NEW}\n"
        )
        VisitResource(user=user).import_data(read_table(text.encode(), "v.csv"))

    # What each path changes: the field, the value it writes, the value before.
    PATHS = {
        "form": (by_form, "public_summary_en", NEW, "Talks."),
        "revert": (by_revert, "public_summary_en", "Talks.", "Later."),
        "mark completed": (by_action, "status", "completed", "planned"),
        "import": (by_import, "public_summary_en", NEW, "Talks."),
    }
    #: Who may change visits at all, and who may publish them.
    CHANGES = {CLERK: True, OFFICIAL: False, PUBLISHER: True, ADMINISTRATOR: True}
    PUBLISHES = {CLERK: False, OFFICIAL: False, PUBLISHER: True, ADMINISTRATOR: False}

    def test_every_path_every_role_published_or_not(self):
        for path, (act, field, wanted, before) in self.PATHS.items():
            for role, user in self.users.items():
                for published in (True, False):
                    with self.subTest(path=path, role=role, published=published):
                        Visit.objects.all().delete()
                        Draft.objects.all().delete()
                        self.make(published)
                        imports = path != "import" or user.has_perm(
                            "partnerships.import_visit"
                        )
                        act(self, user)
                        self.visit.refresh_from_db()
                        value = getattr(self.visit, field)
                        drafts = Draft.objects.pending().count()
                        self.assertEqual(self.visit.published, published)
                        if not self.CHANGES[role] or not imports:
                            self.assertEqual((value, drafts), (before, 0))
                        elif published and not self.PUBLISHES[role]:
                            # Live stays live as approved; the change waits.
                            self.assertEqual((value, drafts), (before, 1))
                            self.assertEqual(
                                Draft.objects.get().proposed["fields"][field], wanted
                            )
                            self.client.logout()
                            page = self.client.get(
                                self.visit.partner_city.get_absolute_url()
                            ).content.decode()
                            if field == "public_summary_en":
                                self.assertIn(before, page)
                                self.assertNotIn(wanted, page)
                        else:
                            self.assertEqual((value, drafts), (wanted, 0))


class EveryKindOfRecordTests(TestCase):
    """The form path, for each kind of record the public sees: a Clerk's change
    to a live one waits as a draft, a Publisher's is live at once."""

    @classmethod
    def setUpTestData(cls):
        setup_roles()
        cls.clerk = make_user("clerk", groups=[CLERK])
        cls.publisher = make_user("publisher", groups=[CLERK, PUBLISHER])

    def records(self):
        """``(record, public field, new value)`` of each kind."""
        home = make_home()
        partner = make_city(name="Kazan")
        agreement = make_agreement(home_party=home, partner=partner)
        collaboration = make_collaboration(agreement=agreement)
        return [
            (partner, "description_en", "A city on the Volga."),
            (agreement, "signed_place_en", "Kazan Kremlin"),
            (collaboration, "summary_en", "Joint work on river ports."),
            (make_institution(city=partner), "description_en", "A university."),
            (
                make_activity(collaboration=collaboration),
                "description_en",
                "A fair.",
            ),
        ]

    def save(self, user, record, field, value):
        self.client.force_login(user)
        data = change_form_data(self.client.get(change_url(record)))
        data[field] = value
        response = self.client.post(change_url(record), data)
        self.assertEqual(response.status_code, 302, type(record).__name__)

    def test_a_clerk_drafts_and_a_publisher_publishes(self):
        for record, field, value in self.records():
            name = type(record).__name__
            with self.subTest(record=name):
                before = getattr(record, field)
                self.save(self.clerk, record, field, value)
                record.refresh_from_db()
                self.assertEqual(getattr(record, field), before)
                self.assertTrue(record.published)
                draft = Draft.objects.pending().of(record).get()
                self.assertEqual(draft.proposed["fields"], {field: value})
                self.client.force_login(self.publisher)
                self.client.post(
                    reverse("admin:review_draft", args=[draft.pk]), {"approve": "yes"}
                )
                record.refresh_from_db()
                self.assertEqual(getattr(record, field), value)
                self.assertTrue(record.published)

    def test_a_clerks_revert_of_a_live_record_waits_too(self):
        for record, field, value in self.records():
            name = type(record).__name__
            with self.subTest(record=name):
                before = getattr(record, field)
                first = record.history.earliest("history_date")
                # A Publisher's later change, which the Clerk reverts.
                setattr(record, field, value)
                record.save()
                opts = record._meta
                url = reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_simple_history",
                    args=[record.pk, first.history_id],
                )
                self.client.force_login(self.clerk)
                response = self.client.get(url)
                self.client.post(url, initial_data(response))
                record.refresh_from_db()
                self.assertEqual(getattr(record, field), value)
                self.assertTrue(record.published)
                draft = Draft.objects.pending().of(record).get()
                self.assertEqual(draft.proposed["fields"][field], before)

    def test_a_clerk_does_not_take_a_live_record_off_the_site(self):
        for record, _field, _value in self.records():
            name = type(record).__name__
            with self.subTest(record=name):
                opts = record._meta
                self.client.force_login(self.clerk)
                self.client.post(
                    reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_delete",
                        args=[record.pk],
                    ),
                    {"post": "yes"},
                )
                self.assertTrue(type(record).objects.filter(pk=record.pk).exists())
