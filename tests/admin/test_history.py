"""History, revert and restore, and deletion that never cascades silently."""

import datetime
import inspect
from importlib import metadata

from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from partnerships.models import (
    Agreement,
    City,
    DelegationMember,
    Institution,
    Person,
    Visit,
)
from partnerships.models.choices import (
    AgreementStatus,
    DelegationRole,
)
from tests.admin.helpers import (
    SuperuserTestCase,
    change_url,
    changelist,
    initial_data,
)
from tests.factories import (
    make_agreement,
    make_city,
    make_collaboration,
    make_head,
    make_home,
    make_institution,
    make_person,
    make_visit,
)


class RevertCopyTests(SimpleTestCase):
    """``RecordAdmin.revert_view`` is simple-history 3.13.0's POST branch of
    ``history_form_view`` with the save made explicit: an upgrade must re-read it."""

    def test_the_installed_simple_history_is_the_one_revert_view_copies(self):
        self.assertEqual(
            metadata.version("django-simple-history"),
            "3.13.0",
            "Compare RecordAdmin.revert_view with the new history_form_view.",
        )

    def test_its_history_form_view_still_saves_a_revert_with_save_model(self):
        parameters = list(
            inspect.signature(SimpleHistoryAdmin.history_form_view).parameters
        )
        self.assertEqual(
            parameters,
            ["self", "request", "object_id", "version_id", "extra_context"],
        )
        source = inspect.getsource(SimpleHistoryAdmin.history_form_view)
        self.assertIn("self.save_model(", source)


class AgreementRevertTests(SuperuserTestCase):
    def test_reverting_the_status_adds_a_step_to_its_history(self):
        agreement = make_agreement(status=AgreementStatus.ACTIVE)
        agreement.status_changes.create(
            status=AgreementStatus.ACTIVE, changed_on=agreement.signed_on
        )
        first = agreement.history.earliest("history_date")
        agreement.status = AgreementStatus.ENDED
        agreement.ended_on = datetime.date(2020, 1, 1)
        agreement.save()
        agreement.status_changes.create(
            status=AgreementStatus.ENDED, changed_on=agreement.ended_on
        )
        revert = reverse(
            "admin:partnerships_agreement_simple_history",
            args=[agreement.pk, first.history_id],
        )
        data = initial_data(self.client.get(revert), leave_out={"document", "sources"})
        self.assertEqual(self.client.post(revert, data).status_code, 302)
        agreement.refresh_from_db()
        self.assertEqual(agreement.status, AgreementStatus.ACTIVE)
        latest = agreement.status_changes.order_by("-changed_on", "-pk").first()
        self.assertEqual(latest.status, AgreementStatus.ACTIVE)
        self.assertEqual(latest.changed_on, timezone.localdate())

    def test_reverting_without_a_status_change_adds_no_step(self):
        agreement = make_agreement(status=AgreementStatus.ACTIVE, signed_place="")
        agreement.status_changes.create(
            status=AgreementStatus.ACTIVE, changed_on=agreement.signed_on
        )
        first = agreement.history.earliest("history_date")
        agreement.signed_place = "Voronezh"
        agreement.save()
        revert = reverse(
            "admin:partnerships_agreement_simple_history",
            args=[agreement.pk, first.history_id],
        )
        data = initial_data(self.client.get(revert), leave_out={"document", "sources"})
        self.assertEqual(self.client.post(revert, data).status_code, 302)
        self.assertEqual(agreement.status_changes.count(), 1)


class SafeDeletionTests(SuperuserTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.home = make_home()
        cls.partner = make_city(name="Voronezh")
        cls.agreement = make_agreement(home_party=cls.home, partner=cls.partner)
        cls.lonely = make_city(name="Nowhere")

    def test_deleting_a_city_others_depend_on_is_refused_with_their_names(self):
        url = reverse("admin:partnerships_city_delete", args=[self.partner.pk])
        response = self.client.post(url, {"post": "yes"}, follow=True)
        self.assertTrue(City.objects.filter(pk=self.partner.pk).exists())
        text = " ".join(str(m) for m in response.context["messages"])
        self.assertIn("Nothing was deleted", text)
        self.assertIn(str(self.agreement), text)

    def test_delete_selected_refuses_and_names_what_depends(self):
        response = self.client.post(
            changelist(City),
            {
                "action": "delete_selected",
                "_selected_action": [self.partner.pk, self.lonely.pk],
                "post": "yes",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            City.objects.filter(name__in=["Voronezh", "Nowhere"]).count(), 2
        )
        self.assertContains(response, "Nothing was deleted")
        self.assertContains(response, str(self.agreement))

    def test_an_agreement_with_collaborations_cannot_be_deleted(self):
        collaboration = make_collaboration(agreement=self.agreement, title="Trade")
        url = reverse("admin:partnerships_agreement_delete", args=[self.agreement.pk])
        response = self.client.post(url, {"post": "yes"})
        self.assertContains(response, "Trade")
        self.assertTrue(Agreement.objects.filter(pk=self.agreement.pk).exists())
        self.assertTrue(collaboration.pk)

    def test_a_city_nothing_depends_on_is_deleted(self):
        url = reverse("admin:partnerships_city_delete", args=[self.lonely.pk])
        response = self.client.post(url, {"post": "yes"})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(City.objects.filter(pk=self.lonely.pk).exists())


class HistoryTests(SuperuserTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.home = make_home()

    def test_a_malformed_version_address_is_not_found(self):
        url = reverse("admin:partnerships_person_simple_history", args=["x", "1"])
        self.assertEqual(self.client.post(url, {}).status_code, 404)

    def test_a_malformed_version_id_is_not_found(self):
        visit = make_visit(home_party=self.home)
        city = make_city(name="Voronezh")
        for obj in (visit, city):
            name = obj._meta.model_name
            for version in ("abc", "x", "²", "9" * 19, "1.5"):
                url = reverse(
                    f"admin:partnerships_{name}_simple_history",
                    args=[obj.pk, version],
                )
                with self.subTest(url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)
                    self.assertEqual(self.client.post(url, {}).status_code, 404)
        url = reverse("admin:partnerships_city_simple_history", args=["9" * 19, "1"])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_history_page_shows_who_changed_what(self):
        city = make_city(name="Voronezh", region="")
        data = initial_data(
            self.client.get(change_url(city)), leave_out={"photo", "sources"}
        )
        data["region_en"] = "Voronezh Oblast"
        response = self.client.post(change_url(city), data)
        self.assertEqual(response.status_code, 302)
        latest = city.history.latest("history_date")
        self.assertEqual(latest.history_user, self.superuser)
        history = reverse("admin:partnerships_city_history", args=[city.pk])
        response = self.client.get(history)
        self.assertContains(response, "boss")
        self.assertContains(response, "Voronezh Oblast")

    def test_a_visits_dates_show_in_its_history_as_precisely_as_known(self):
        visit = make_visit(
            home_party=self.home,
            status="planned",
            start_date=datetime.date(2027, 5, 1),
            date_precision="month",
        )
        visit.start_date = datetime.date(2027, 6, 14)
        visit.date_precision = "day"
        visit.save()
        history = reverse("admin:partnerships_visit_history", args=[visit.pk])
        page = self.client.get(history).content.decode()
        self.assertIn("May 2027", page)
        self.assertIn("14 June 2027", page)
        self.assertNotIn("May 1, 2027", page)
        self.assertNotIn("2027-05-01", page)

    def test_a_chinese_edit_shows_in_the_history_page(self):
        city = make_city(name="Voronezh", description="An industrial hub.")
        data = initial_data(
            self.client.get(change_url(city)), leave_out={"photo", "sources"}
        )
        data["name_zh_hans"] = "沃罗涅日"
        data["description_zh_hans"] = "工业中心。"
        self.assertEqual(self.client.post(change_url(city), data).status_code, 302)
        latest = city.history.latest("history_date")
        self.assertEqual(
            [
                change.field
                for change in latest.diff_against(latest.prev_record).changes
            ],
            ["description_zh_hans", "name_zh_hans"],
        )
        history = reverse("admin:partnerships_city_history", args=[city.pk])
        response = self.client.get(history)
        changes = response.content.decode().split('id="change-history"')[1]
        self.assertIn("Name (Chinese):", changes)
        self.assertIn("沃罗涅日", changes)
        self.assertIn("工业中心。", changes)

    def test_a_deleted_record_is_restored_from_its_history(self):
        person = make_person(name="Ivanov", current_title="Deputy Mayor")
        pk = person.pk
        url = reverse("admin:partnerships_person_delete", args=[pk])
        self.assertEqual(self.client.post(url, {"post": "yes"}).status_code, 302)
        self.assertFalse(Person.objects.filter(pk=pk).exists())
        version = Person.history.filter(id=pk, history_type="+").get()
        history = reverse("admin:partnerships_person_history", args=[pk])
        self.assertContains(self.client.get(history), "Ivanov")
        revert = reverse(
            "admin:partnerships_person_simple_history",
            args=[pk, version.history_id],
        )
        data = initial_data(self.client.get(revert))
        response = self.client.post(revert, data)
        self.assertEqual(response.status_code, 302)
        restored = Person.objects.get(pk=pk)
        self.assertEqual(restored.current_title, "Deputy Mayor")

    def test_a_revert_with_errors_is_shown_again_and_saves_nothing(self):
        person = make_person(name="Ivanov", current_title="Deputy Mayor")
        version = person.history.get()
        person.current_title = "Mayor"
        person.save()
        revert = reverse(
            "admin:partnerships_person_simple_history",
            args=[person.pk, version.history_id],
        )
        data = {**initial_data(self.client.get(revert)), "name_en": ""}
        response = self.client.post(revert, data)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["adminform"].form.errors)
        person.refresh_from_db()
        self.assertEqual(person.current_title, "Mayor")
        self.assertEqual(person.history.count(), 2)

    def test_a_version_of_another_record_is_not_found(self):
        person = make_person(name="Ivanov")
        other = make_person(name="Petrov")
        revert = reverse(
            "admin:partnerships_person_simple_history",
            args=[person.pk, other.history.get().history_id],
        )
        data = initial_data(
            self.client.get(
                reverse(
                    "admin:partnerships_person_simple_history",
                    args=[other.pk, other.history.get().history_id],
                )
            )
        )
        self.assertEqual(self.client.post(revert, data).status_code, 404)


class RestoreWithChildRowsTests(SuperuserTestCase):
    """Restoring a deleted record brings back the rows deleted along with it."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.home = make_home()
        cls.partner = make_city(name="Voronezh")

    def delete_and_restore(self, obj, **changes):
        name = obj._meta.model_name
        pk = obj.pk
        url = reverse(f"admin:partnerships_{name}_delete", args=[pk])
        self.assertEqual(self.client.post(url, {"post": "yes"}).status_code, 302)
        self.assertFalse(type(obj).objects.filter(pk=pk).exists())
        version = type(obj).history.filter(id=pk, history_type="+").get()
        revert = reverse(
            f"admin:partnerships_{name}_simple_history", args=[pk, version.history_id]
        )
        data = initial_data(self.client.get(revert), leave_out={"document", "photo"})
        data.update(changes)
        return self.client.post(revert, data, follow=True)

    def test_a_restored_visit_gets_its_delegation_back(self):
        head = make_person(name="Ivanov")
        visit = make_visit(
            home_party=self.home,
            partner_city=self.partner,
            members=[{"person": head, "role": DelegationRole.HEAD}],
        )
        DelegationMember.objects.create(
            visit=visit, title_at_time="Interpreter", role=DelegationRole.MEMBER
        )
        # A member removed before the deletion stays removed.
        gone = DelegationMember.objects.create(
            visit=visit, title_at_time="Driver", role=DelegationRole.MEMBER
        )
        gone.delete()
        visit.save()
        self.delete_and_restore(visit)
        restored = Visit.objects.get(pk=visit.pk)
        self.assertEqual(
            sorted(restored.members.values_list("title_at_time", "role")),
            [("", DelegationRole.HEAD), ("Interpreter", DelegationRole.MEMBER)],
        )
        self.assertEqual(restored.members.get(role=DelegationRole.HEAD).person, head)

    def test_a_visit_whose_head_cannot_come_back_is_not_restored(self):
        head = make_person(name="Ivanov")
        visit = make_visit(
            home_party=self.home,
            partner_city=self.partner,
            members=[{"person": head, "role": DelegationRole.HEAD}],
        )
        pk = visit.pk
        url = reverse("admin:partnerships_visit_delete", args=[pk])
        self.client.post(url, {"post": "yes"})
        head.delete()
        version = Visit.history.filter(id=pk, history_type="+").get()
        revert = reverse(
            "admin:partnerships_visit_simple_history", args=[pk, version.history_id]
        )
        data = initial_data(self.client.get(revert))
        response = self.client.post(revert, data, follow=True)
        self.assertFalse(Visit.objects.filter(pk=pk).exists())
        self.assertFalse(DelegationMember.objects.filter(visit_id=pk).exists())
        text = " ".join(str(m) for m in response.context["messages"])
        self.assertIn("Not restored", text)
        self.assertIn("was deleted since", text)

    def test_a_restore_that_breaks_the_head_rule_is_refused(self):
        visit = make_visit(home_party=self.home, partner_city=self.partner)
        make_head(visit)
        response = self.delete_and_restore(visit, head_unrecorded="on")
        self.assertFalse(Visit.objects.filter(pk=visit.pk).exists())
        text = " ".join(str(m) for m in response.context["messages"])
        self.assertIn("Not restored", text)
        self.assertIn("a head is listed", text)

    def test_an_agreement_gets_its_status_history_and_signatories_back(self):
        agreement = make_agreement(home_party=self.home, partner=self.partner)
        agreement.status_changes.create(
            status=AgreementStatus.ACTIVE, changed_on=agreement.signed_on
        )
        mayor = make_person(name="Mayor")
        agreement.signatories.create(side="home", person=mayor)
        self.delete_and_restore(agreement)
        restored = Agreement.objects.get(pk=agreement.pk)
        self.assertEqual(
            list(restored.status_changes.values_list("status", flat=True)),
            [AgreementStatus.ACTIVE],
        )
        self.assertEqual(restored.signatories.get().person, mayor)

    def test_an_institution_gets_its_aliases_back(self):
        institution = make_institution(
            city=self.partner, aliases=["VSU", "Voronezh State University"]
        )
        self.delete_and_restore(institution)
        self.assertEqual(
            sorted(
                Institution.objects.get(pk=institution.pk).aliases.values_list(
                    "name", flat=True
                )
            ),
            ["VSU", "Voronezh State University"],
        )
