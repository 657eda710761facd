"""Every admin page renders, with the facts each record's page derives."""

import datetime

from django.urls import reverse
from django.utils import timezone

from partnerships.models import (
    City,
    FocusArea,
    Sector,
    SentReminder,
    Visit,
)
from partnerships.models.choices import (
    AgreementStatus,
)
from tests.admin.helpers import (
    SuperuserTestCase,
    change_url,
    changelist,
    initial_data,
)
from tests.factories import (
    make_activity,
    make_agreement,
    make_city,
    make_collaboration,
    make_head,
    make_home,
    make_institution,
    make_person,
    make_source,
    make_visit,
)


class EveryPageRendersTests(SuperuserTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.home = make_home()
        cls.partner = make_city(name="Voronezh", name_local="Воронеж")
        cls.agreement = make_agreement(home_party=cls.home, partner=cls.partner)
        cls.visit = make_visit(home_party=cls.home, partner_city=cls.partner)
        make_head(cls.visit)
        cls.institution = make_institution(city=cls.partner, aliases=["Alias"])
        cls.collaboration = make_collaboration(
            agreement=cls.agreement, participants=[cls.institution]
        )
        cls.activity = make_activity(collaboration=cls.collaboration)
        cls.person = make_person(city=cls.partner)
        cls.source = make_source()
        cls.focus = FocusArea.objects.create(name="LNG storage")
        SentReminder.objects.create(key="renewal:1:2030-01-01")

    def test_changelist_add_and_change_pages_render(self):
        objects = [
            self.home,
            self.agreement,
            self.visit,
            self.institution,
            self.collaboration,
            self.activity,
            self.person,
            self.source,
            self.focus,
            Sector.objects.first(),
        ]
        for obj in objects:
            with self.subTest(model=obj._meta.model_name):
                self.assertEqual(
                    self.client.get(changelist(type(obj))).status_code, 200
                )
                add = reverse(f"admin:partnerships_{obj._meta.model_name}_add")
                self.assertEqual(self.client.get(add).status_code, 200)
                self.assertEqual(self.client.get(change_url(obj)).status_code, 200)

    def test_the_city_list_counts_agreements_on_either_side(self):
        response = self.client.get(changelist(City))
        rows = {city.pk: city for city in response.context["cl"].result_list}
        admin = response.context["cl"].model_admin
        self.assertEqual(admin.agreements(rows[self.partner.pk]), 1)
        self.assertEqual(admin.agreements(rows[self.home.pk]), 1)

    def test_sent_reminders_are_read_only(self):
        self.assertEqual(self.client.get(changelist(SentReminder)).status_code, 200)
        add = reverse("admin:partnerships_sentreminder_add")
        self.assertEqual(self.client.get(add).status_code, 403)


class ChangePageFactsTests(SuperuserTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.home = make_home()
        cls.partner = make_city(name="Voronezh")
        cls.agreement = make_agreement(
            home_party=cls.home,
            partner=cls.partner,
            signed_on=datetime.date(1993, 10, 20),
        )
        cls.visit = make_visit(
            home_party=cls.home,
            partner_city=cls.partner,
            title="Duma visit",
            start_date=datetime.date(2019, 5, 14),
        )
        cls.institution = make_institution(
            name="Voronezh State University", city=cls.partner
        )
        cls.collaboration = make_collaboration(
            agreement=cls.agreement,
            participants=[cls.institution],
            title="University exchange",
        )

    def test_agreement_shows_visits_collaborations_and_derived_facts(self):
        response = self.client.get(change_url(self.agreement))
        self.assertContains(response, "Duma visit")
        self.assertContains(response, "University exchange")
        self.assertContains(response, "Years since signing")
        years = self.agreement.years_since_signing()
        self.assertContains(response, f"<td>{years}</td>", html=True)
        date, round_years = self.agreement.next_round_anniversary()
        self.assertContains(response, f"{round_years} years on {date:%-d %B %Y}")
        self.assertContains(response, "14 May 2019")

    def test_city_shows_its_agreements(self):
        response = self.client.get(change_url(self.partner))
        self.assertContains(response, change_url(self.agreement))

    def test_institution_shows_its_collaborations(self):
        response = self.client.get(change_url(self.institution))
        self.assertContains(response, "University exchange")
        self.assertContains(response, change_url(self.collaboration))

    def test_changing_the_status_adds_a_step_to_its_history(self):
        agreement = self.agreement
        data = initial_data(
            self.client.get(change_url(agreement)), leave_out={"document", "sources"}
        )
        data.update(
            {
                "status": AgreementStatus.SUSPENDED,
                "status_changes-TOTAL_FORMS": 0,
                "status_changes-INITIAL_FORMS": 0,
                "signatories-TOTAL_FORMS": 0,
                "signatories-INITIAL_FORMS": 0,
            }
        )
        response = self.client.post(change_url(agreement), data)
        self.assertEqual(response.status_code, 302)
        step = agreement.status_changes.get()
        self.assertEqual(step.status, AgreementStatus.SUSPENDED)
        self.assertEqual(step.changed_on, timezone.localdate())


class LanguageSwitchTests(SuperuserTestCase):
    def test_every_admin_page_offers_the_three_languages(self):
        response = self.client.get(changelist(Visit))
        self.assertContains(response, f'action="{reverse("set_language")}"')
        for code in ("en", "zh-hans", "ru"):
            self.assertContains(response, f'<option value="{code}"')

    def test_the_admin_speaks_chinese_at_its_chinese_address(self):
        response = self.client.get("/zh-hans/admin/")
        self.assertContains(response, '<option value="zh-hans" selected>')
        self.assertContains(response, "最近动作")


class TranslatedFieldsSideBySideTests(SuperuserTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.visit = make_visit(
            home_party=make_home(), partner_city=make_city(), title="Trade talks"
        )

    def test_each_texts_languages_share_one_line_english_first(self):
        response = self.client.get(change_url(self.visit))
        fieldsets = response.context["adminform"]
        lines = [
            # A read-only field (the partner's confirmation) is a dict.
            tuple(
                field.field["name"] if field.is_readonly else field.field.name
                for field in line
            )
            for fieldset in fieldsets
            for line in fieldset
        ]
        for text in ("title", "purpose", "public_summary", "date_note"):
            with self.subTest(text=text):
                self.assertIn((f"{text}_en", f"{text}_zh_hans", f"{text}_ru"), lines)
        self.assertIn(("start_date", "end_date"), lines)

    def test_a_lines_help_is_shown_once_under_the_english(self):
        response = self.client.get(change_url(self.visit))
        form = response.context["adminform"].form
        self.assertTrue(form.fields["title_en"].help_text)
        self.assertEqual(form.fields["title_zh_hans"].help_text, "")
        self.assertEqual(form.fields["title_ru"].help_text, "")


class DeclinedNamesTests(SuperuserTestCase):
    """Titles and messages that name a kind of record read naturally in Russian."""

    def test_russian_titles_and_buttons_decline_the_record(self):
        response = self.client.get("/ru/admin/partnerships/institution/")
        self.assertContains(response, "Выберите организацию для изменения")
        self.assertContains(response, "Добавить организацию")
        self.assertNotContains(response, "Добавить организация")
        response = self.client.get("/ru/admin/partnerships/sector/add/")
        self.assertContains(response, "<title>Добавить сферу")
        self.assertContains(response, "&rsaquo; Добавить сферу")
        response = self.client.get("/ru/admin/partnerships/person/add/")
        self.assertContains(response, "<h1>Добавить человека</h1>")
        response = self.client.get("/ru/admin/partnerships/person/")
        self.assertContains(response, "Удалить выбранные записи (люди)")

    def test_russian_messages_agree_whatever_the_record(self):
        response = self.client.post(
            "/ru/admin/partnerships/sector/add/",
            {"name_en": "Space", "code": "space", "position": 0},
            follow=True,
        )
        # The record's name links to it: «<a href="…">Space</a>».
        self.assertRegex(
            response.content.decode(),
            r"Запись «<a [^>]+>Space</a>» \(сфера\) добавлена\.",
        )
        response = self.client.post(
            "/ru/admin/partnerships/sector/add/",
            {"name_en": "Outer space", "code": "space", "position": 0},
        )
        self.assertContains(
            response, "Сфера: запись с таким значением поля «Код» уже есть."
        )

    def test_other_languages_keep_their_phrases(self):
        response = self.client.get("/zh-hans/admin/partnerships/sector/add/")
        self.assertContains(response, "<h1>增加 领域</h1>")
        response = self.client.get("/admin/partnerships/institution/")
        self.assertContains(response, "Select institution to change")
        self.assertContains(response, "Add institution")
