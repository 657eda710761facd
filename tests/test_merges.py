"""Merging people or institutions recorded twice, and undoing it."""

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import TestCase
from django.urls import reverse

from partnerships import merges
from partnerships.accounts.roles import CLERK, OFFICIAL, setup_roles
from partnerships.models import (
    CollaborationParticipant,
    DelegationMember,
    Institution,
    Merge,
    Person,
    Signatory,
)
from partnerships.models.choices import DelegationRole, Side
from tests.factories import (
    make_agreement,
    make_city,
    make_collaboration,
    make_home,
    make_institution,
    make_person,
    make_user,
    make_visit,
)


def links_to(model):
    """Every relation from another record that points at ``model``'s rows."""
    return {
        (relation.related_model, relation.field.name)
        for relation in model._meta.related_objects
        if relation.one_to_many
        and not relation.related_model.__name__.startswith("Historical")
        and relation.related_model is not Merge
    }


class LinksTests(TestCase):
    def test_every_relation_pointing_at_a_merged_record_is_moved(self):
        for model in (Person, Institution):
            with self.subTest(model=model.__name__):
                self.assertEqual(
                    links_to(model),
                    {(link.model, link.field) for link in merges.LINKS[model]},
                )

    def test_a_merged_person_has_no_many_to_many_left_behind(self):
        for model in (Person, Institution):
            reverse_m2m = [
                relation
                for relation in model._meta.related_objects
                if relation.many_to_many
            ]
            self.assertEqual(reverse_m2m, [], model.__name__)


class PersonMergeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_home()
        cls.voronezh = make_city(name="Voronezh")
        cls.clerk = make_user(is_superuser=True)
        cls.kept = make_person(
            name="Sergei Petrov",
            city=cls.voronezh,
            current_title="Deputy Mayor",
            notes="Met in 2019.",
        )
        cls.twin = make_person(
            name="Sergey Petrov",
            name_zh_hans="谢尔盖·彼得罗夫",
            name_ru="Сергей Петров",
            city=cls.voronezh,
            aliases=["Serguei Petrov"],
            positions=[("Deputy Mayor of Voronezh", "2019", "2023")],
            notes="Speaks Chinese.",
        )
        cls.visit = make_visit(partner_city=cls.voronezh, title="Spring visit")
        cls.member = DelegationMember.objects.create(
            visit=cls.visit, person=cls.twin, role=DelegationRole.HEAD
        )
        cls.agreement = make_agreement(partner=cls.voronezh)
        cls.signatory = Signatory.objects.create(
            agreement=cls.agreement, side=Side.PARTNER, person=cls.twin
        )

    def test_every_link_moves_and_the_names_become_other_spellings(self):
        twin_pk = self.twin.pk
        merge = merges.merge(self.kept, [self.twin], self.clerk)
        self.assertFalse(Person.objects.filter(pk=self.twin.pk).exists())
        self.member.refresh_from_db()
        self.signatory.refresh_from_db()
        self.assertEqual(self.member.person, self.kept)
        self.assertEqual(self.signatory.person, self.kept)
        kept = Person.objects.get(pk=self.kept.pk)
        self.assertEqual(
            [p.title for p in kept.positions.all()], ["Deputy Mayor of Voronezh"]
        )
        # Empty languages filled; the other English name an other spelling.
        self.assertEqual(kept.name_zh_hans, "谢尔盖·彼得罗夫")
        self.assertEqual(kept.name_ru, "Сергей Петров")
        self.assertEqual(
            sorted(kept.aliases.values_list("name", flat=True)),
            ["Sergey Petrov", "Serguei Petrov"],
        )
        self.assertIn("Speaks Chinese.", kept.notes)
        self.assertIn("Met in 2019.", kept.notes)
        # Found by every name it now goes by.
        for name in ("Sergey Petrov", "Serguei Petrov", "谢尔盖彼得罗夫"):
            self.assertEqual(list(Person.objects.named(name)), [kept], name)
        self.assertEqual(merge.merged_ids, [twin_pk])

    def test_history_records_the_merge_on_both_sides(self):
        twin_pk = self.twin.pk
        merges.merge(self.kept, [self.twin], self.clerk)
        latest = Person.history.filter(id=self.kept.pk).latest("history_date")
        self.assertIn(f"#{twin_pk} Sergey Petrov", latest.history_change_reason)
        gone = Person.history.filter(id=twin_pk).latest("history_date")
        self.assertEqual(gone.history_type, "-")
        self.assertIn(f"Merged into #{self.kept.pk}", gone.history_change_reason)
        moved = DelegationMember.history.filter(id=self.member.pk).latest(
            "history_date"
        )
        self.assertEqual(moved.person_id, self.kept.pk)

    def test_undo_puts_everything_back(self):
        before = {
            "kept": Person.objects.filter(pk=self.kept.pk).values().get(),
            "twin": Person.objects.filter(pk=self.twin.pk).values().get(),
        }
        twin_pk = self.twin.pk
        merge = merges.merge(self.kept, [self.twin], self.clerk)
        self.twin.pk = twin_pk
        gone = merges.undo(merge, self.clerk)
        self.assertEqual(gone, 0)
        after = {
            "kept": Person.objects.filter(pk=self.kept.pk).values().get(),
            "twin": Person.objects.filter(pk=self.twin.pk).values().get(),
        }
        for name in ("kept", "twin"):
            for field in ("updated_at",):
                before[name].pop(field)
                after[name].pop(field)
        self.assertEqual(after, before)
        self.member.refresh_from_db()
        self.signatory.refresh_from_db()
        self.assertEqual(self.member.person_id, self.twin.pk)
        self.assertEqual(self.signatory.person_id, self.twin.pk)
        twin = Person.objects.get(pk=self.twin.pk)
        self.assertEqual(
            list(twin.aliases.values_list("name", flat=True)), ["Serguei Petrov"]
        )
        self.assertEqual(twin.positions.count(), 1)
        self.assertFalse(self.kept.aliases.exists())
        merge.refresh_from_db()
        self.assertIsNotNone(merge.undone_at)
        with self.assertRaises(merges.MergeRefused):
            merges.undo(merge, self.clerk)

    def test_undo_keeps_what_was_changed_since(self):
        merge = merges.merge(self.kept, [self.twin], self.clerk)
        kept = Person.objects.get(pk=self.kept.pk)
        kept.name_ru = "Сергей Иванович Петров"
        kept.save()
        merges.undo(merge, self.clerk)
        kept.refresh_from_db()
        self.assertEqual(kept.name_ru, "Сергей Иванович Петров")
        self.assertEqual(kept.name_zh_hans, "")

    def test_people_of_different_cities_are_not_merged(self):
        other = make_person(name="Sergei Petrov", city=make_city(name="Kursk"))
        with self.assertRaises(merges.MergeRefused):
            merges.merge(self.kept, [other], self.clerk)
        self.assertTrue(Person.objects.filter(pk=other.pk).exists())


class InstitutionMergeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.voronezh = make_city(name="Voronezh")
        cls.clerk = make_user(is_superuser=True)
        cls.kept = make_institution(name="Voronezh State University", city=cls.voronezh)
        cls.twin = make_institution(
            name="VSU", city=cls.voronezh, aliases=["Voronezh University"]
        )
        agreement = make_agreement(home_party=make_home(), partner=cls.voronezh)
        cls.both = make_collaboration(
            agreement=agreement, participants=[cls.kept, cls.twin]
        )
        cls.only_twin = make_collaboration(agreement=agreement, participants=[cls.twin])

    def test_participations_move_and_a_repeated_one_is_removed_then_restored(self):
        twin_pk = self.twin.pk
        merge = merges.merge(self.kept, [self.twin], self.clerk)
        self.assertEqual(
            sorted(
                CollaborationParticipant.objects.filter(
                    institution=self.kept
                ).values_list("collaboration_id", flat=True)
            ),
            sorted([self.both.pk, self.only_twin.pk]),
        )
        self.assertEqual(self.both.participants.count(), 1)
        kept = Institution.objects.get(pk=self.kept.pk)
        self.assertEqual(
            sorted(kept.aliases.values_list("name", flat=True)),
            ["VSU", "Voronezh University"],
        )
        merges.undo(merge, self.clerk)
        self.assertEqual(self.both.participants.count(), 2)
        self.assertEqual(
            list(self.only_twin.participants.values_list("institution_id", flat=True)),
            [twin_pk],
        )

    def test_a_clerk_may_not_merge_a_public_record_into_a_hidden_one(self):
        setup_roles()
        clerk = make_user(groups=[CLERK])
        Institution.objects.filter(pk=self.kept.pk).update(published=False)
        self.kept.refresh_from_db()
        with self.assertRaises(merges.MergeRefused):
            merges.merge(self.kept, [self.twin], clerk)


class MergeAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        setup_roles()
        cls.clerk = make_user(groups=[CLERK])
        cls.official = make_user(groups=[OFFICIAL])
        cls.voronezh = make_city(name="Voronezh")
        cls.first = make_person(name="Anna Ivanova", city=cls.voronezh)
        cls.second = make_person(
            name="Anna Ivanova", name_ru="Анна Иванова", city=cls.voronezh
        )
        make_visit(
            partner_city=cls.voronezh,
            title="Autumn visit",
            members=[{"person": cls.first, "role": DelegationRole.HEAD}],
        )

    def post_action(self, **extra):
        return self.client.post(
            reverse("admin:partnerships_person_changelist"),
            {
                "action": "merge_selected",
                ACTION_CHECKBOX_NAME: [self.first.pk, self.second.pk],
                **extra,
            },
        )

    def test_the_page_shows_what_moves_before_anything_is_done(self):
        self.client.force_login(self.clerk)
        response = self.post_action(keep=self.second.pk)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Autumn visit")
        # "Show what moves" sends the same form: only the merge button merges.
        self.assertNotContains(response, 'type="hidden" name="post"')
        self.assertContains(response, 'name="post" value="yes"', count=1)
        self.assertContains(response, f"What moves to #{self.second.pk}")
        response = self.post_action(keep=self.first.pk, preview="Show what moves")
        self.assertContains(response, f"What moves to #{self.first.pk}")
        self.assertEqual(Person.objects.count(), 2)

    def test_confirming_merges_and_history_offers_the_undo(self):
        self.client.force_login(self.clerk)
        response = self.post_action(keep=self.second.pk, post="yes")
        self.assertRedirects(
            response,
            reverse("admin:partnerships_person_change", args=[self.second.pk]),
        )
        self.assertEqual(list(Person.objects.all()), [self.second])
        self.assertEqual(DelegationMember.objects.get().person_id, self.second.pk)
        history = self.client.get(
            reverse("admin:partnerships_person_history", args=[self.second.pk])
        )
        merge = Merge.objects.get()
        undo = reverse(
            "admin:partnerships_person_undo_merge", args=[self.second.pk, merge.pk]
        )
        self.assertContains(history, undo)
        self.assertEqual(self.client.get(undo).status_code, 200)
        self.client.post(undo)
        self.assertEqual(Person.objects.count(), 2)
        self.assertEqual(DelegationMember.objects.get().person_id, self.first.pk)

    def test_an_official_has_no_merge(self):
        self.client.force_login(self.official)
        response = self.client.get(reverse("admin:partnerships_person_changelist"))
        self.assertNotContains(response, "merge_selected")
        self.post_action(keep=self.second.pk, post="yes")
        self.assertEqual(Person.objects.count(), 2)
        merge = merges.merge(self.second, [self.first], make_user(is_superuser=True))
        undo = reverse(
            "admin:partnerships_person_undo_merge", args=[self.second.pk, merge.pk]
        )
        self.assertEqual(self.client.post(undo).status_code, 403)
        self.assertEqual(Person.objects.count(), 1)

    def test_institutions_merge_through_their_list_too(self):
        self.client.force_login(self.clerk)
        city = make_city(name="Kursk")
        first = make_institution(name="Kursk State University", city=city)
        second = make_institution(name="KSU", city=city)
        collaboration = make_collaboration(participants=[second])
        url = reverse("admin:partnerships_institution_changelist")
        data = {
            "action": "merge_selected",
            ACTION_CHECKBOX_NAME: [first.pk, second.pk],
            "keep": first.pk,
        }
        response = self.client.post(url, data)
        self.assertContains(response, collaboration.title)
        # "KSU" is on the public site (a published collaboration names it):
        # merging it into a record named otherwise changes what readers see.
        response = self.client.post(url, {**data, "post": "yes"})
        self.assertContains(response, "would change the names readers see")
        self.assertTrue(Institution.objects.filter(pk=second.pk).exists())
        self.client.force_login(make_user(is_superuser=True))
        self.client.post(url, {**data, "post": "yes"})
        self.assertFalse(Institution.objects.filter(pk=second.pk).exists())
        self.assertEqual(
            list(collaboration.participants.values_list("institution", flat=True)),
            [first.pk],
        )
        self.assertEqual(list(Institution.objects.named("KSU")), [first])
