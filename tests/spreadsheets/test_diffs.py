"""The import preview's cells: every column the import writes, lines included,
before and after, changes marked by class."""

import re

from django.test import TestCase

from partnerships.spreadsheets.reading import read_table
from partnerships.spreadsheets.resources import (
    CollaborationResource,
    InstitutionResource,
    VisitResource,
)
from tests.factories import (
    make_agreement,
    make_collaboration,
    make_home,
    make_institution,
    make_person,
    make_visit,
)

VISIT_HEADER = (
    "Direction,Home party,Partner city,Partner country,Start date,Delegation\n"
)


def preview(resource, text, name="file.csv"):
    result = resource.import_data(read_table(text.encode(), name), dry_run=True)
    assert not result.has_validation_errors(), result.invalid_rows
    return result


def cell(result, column, row=0):
    return result.valid_rows()[row].diff[result.diff_headers.index(column)]


def marked(html, tag):
    """The texts of ``html``'s ``tag`` elements (``ins``, ``del``, ``span``)."""
    return [
        text.replace("<br>", "\n")
        for text in re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", html)
    ]


class DelegationPreviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.visit = make_visit(home_party=make_home())
        cls.partner = cls.visit.partner_city
        ivan = make_person(name="Ivan Petrov")
        cls.visit.members.create(
            person=ivan, title_at_time="Mayor", role="head", position=1
        )

    def row(self, delegation, day="2019-05-14"):
        return f'inbound,Chongqing,{self.partner.name},Russia,{day},"{delegation}"\n'

    def test_a_new_visits_delegation_is_shown_as_added(self):
        result = preview(
            VisitResource(),
            VISIT_HEADER
            + self.row(
                "Head of delegation: Anna Sokolova — Rector\nInterpreter", "2020-01-02"
            ),
        )
        self.assertEqual(
            marked(cell(result, "Delegation"), "ins"),
            ["Head of delegation: Anna Sokolova — Rector\nMember: Interpreter"],
        )

    def test_a_changed_delegation_shows_what_goes_and_what_comes(self):
        result = preview(
            VisitResource(),
            VISIT_HEADER
            + self.row(
                "Head of delegation: Ivan Petrov — Mayor\nMember: Anna Sokolova"
            ),
        )
        html = cell(result, "Delegation")
        self.assertIn(
            "Head of delegation: Ivan Petrov — Mayor", "".join(marked(html, "span"))
        )
        self.assertIn("Anna Sokolova", "".join(marked(html, "ins")))
        self.assertEqual(marked(html, "del"), [])

    def test_an_unchanged_delegation_is_shown_unmarked(self):
        result = preview(
            VisitResource(),
            VISIT_HEADER + self.row("Head of delegation: Ivan Petrov — Mayor"),
        )
        html = cell(result, "Delegation")
        self.assertEqual(
            marked(html, "span"), ["Head of delegation: Ivan Petrov — Mayor"]
        )
        self.assertNotIn("<ins", html)


class OtherLinesPreviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.agreement = make_agreement(home_party=make_home())
        cls.university = make_institution(
            name="Voronezh State University", city=cls.agreement.partner
        )
        cls.collaboration = make_collaboration(
            agreement=cls.agreement, title="Student exchange"
        )

    def test_participants_are_shown_by_their_institutions_names(self):
        header = "Title,Home party,Partner city,Partner country,Sector,Participants\n"
        partner = self.agreement.partner
        text = header + (
            f"Student exchange,Chongqing,{partner.name},Russia,economy,"
            '"Partner side: Voronezh State University — host"\n'
        )
        result = preview(CollaborationResource(), text)
        self.assertEqual(
            marked(cell(result, "Participants"), "ins"),
            ["Partner side: Voronezh State University — host"],
        )

    def test_alternate_names_before_and_after(self):
        make_institution(
            name="Rector's office", city=self.agreement.partner, aliases=["RO"]
        )
        partner = self.agreement.partner
        text = (
            "Name,City,City country,Alternate names\n"
            f"Rector's office,{partner.name},Russia,RO; Rectorate\n"
        )
        html = cell(preview(InstitutionResource(), text), "Alternate names")
        self.assertEqual(marked(html, "span"), ["RO"])
        self.assertEqual(marked(html, "ins"), ["; Rectorate"])
