"""The period report's cover: the office, the period, who made it, the headline
figures (counted here by hand from the records made below) and the paragraph."""

import datetime
import io

import openpyxl
from django.test import TestCase, override_settings

from partnerships import confirmations
from partnerships.models import Visit
from partnerships.models.choices import (
    AgreementStatus,
    DatePrecision,
    DelegationLevel,
    Direction,
    VisitStatus,
)
from partnerships.office import office_name, office_names
from partnerships.spreadsheets.reports import ReportFilter, build_report
from partnerships.spreadsheets.reports.sheet import DATE_FORMATS
from tests.factories import (
    make_agreement,
    make_city,
    make_contact,
    make_district,
    make_home,
    make_user,
    make_visit,
)

D = datetime.date
FIRST, LAST = D(2023, 1, 1), D(2023, 12, 31)
OFFICE = {
    "en": "Foreign Affairs Office of Chongqing Municipal People's Government",
    "zh-hans": "重庆市人民政府外事办公室",
    "ru": "Канцелярия по иностранным делам Народного правительства города Чунцин",
}


def workbook(report):
    return openpyxl.load_workbook(io.BytesIO(build_report(report).getvalue()))


def figures(book):
    """``{label: (figure, note)}`` of the cover's headline figures."""
    sheet = book["Cover"]
    found = {}
    for label, figure, note in sheet.iter_rows(min_col=1, max_col=3, values_only=True):
        if isinstance(figure, int):
            found[label] = (figure, note)
    return found


def cover_text(book):
    return [
        value
        for row in book.worksheets[0].iter_rows(values_only=True)
        for value in row
        if value is not None
    ]


class CoverFiguresTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = make_home()
        yuzhong = make_district(name="Yuzhong")
        cls.voronezh = make_city(name="Voronezh", name_zh_hans="沃罗涅日")
        cls.minsk = make_city(name="Minsk", country="BY")
        perm = make_city(name="Perm")
        quiet = make_city(name="Quietville", country="FR")
        gone = make_city(name="Gone", country="FR")
        fresh = make_city(name="Fresh", country="DE")
        # Anniversaries in 2023: Voronezh's 30th (round), Minsk's 23rd, Perm's
        # 10th (round), Quietville's 33rd, Gone's 20th (round); Fresh is signed
        # in 2023 (no anniversary yet).
        sister = make_agreement(home_party=home, partner=cls.voronezh)
        sister.status_changes.create(
            status=AgreementStatus.ACTIVE, changed_on=D(2023, 2, 1)
        )
        minsk = make_agreement(
            home_party=home,
            partner=cls.minsk,
            signed_on=D(2000, 2, 29),
            renewal_due_on=D(2023, 6, 1),
        )
        # Renewed in 2023: a second "Active" step. Voronezh's first "Active"
        # step in 2023 is no renewal.
        for day in (D(2000, 2, 29), D(2023, 6, 1)):
            minsk.status_changes.create(status=AgreementStatus.ACTIVE, changed_on=day)
        make_agreement(home_party=yuzhong, partner=perm, signed_on=D(2013, 7, 1))
        make_agreement(home_party=home, partner=quiet, signed_on=D(1990, 1, 1))
        make_agreement(
            home_party=home,
            partner=gone,
            signed_on=D(2003, 3, 1),
            status=AgreementStatus.ENDED,
            ended_on=D(2023, 5, 1),
            end_reason="Not renewed",
        )
        make_agreement(home_party=home, partner=fresh, signed_on=D(2023, 4, 2))
        # Completed in 2023: 3 inbound (2 partners), 2 outbound (2 partners, one
        # of them Perm); levels: 1 mayor, 1 vice-mayor, 1 below, 2 not recorded.
        make_visit(
            partner_city=cls.voronezh,
            start_date=D(2023, 5, 14),
            head_level=DelegationLevel.MAYOR,
        )
        make_visit(
            partner_city=cls.voronezh,
            start_date=D(2023, 5, 1),
            date_precision=DatePrecision.MONTH,
            head_level=DelegationLevel.VICE_MAYOR,
        )
        make_visit(partner_city=cls.minsk, start_date=D(2023, 3, 3))
        make_visit(
            partner_city=cls.voronezh,
            direction=Direction.OUTBOUND,
            start_date=D(2023, 9, 1),
            head_level=DelegationLevel.BELOW,
        )
        make_visit(
            home_party=yuzhong,
            partner_city=perm,
            direction=Direction.OUTBOUND,
            start_date=D(2023, 7, 7),
        )
        # Not counted: planned, cancelled, another year, undated.
        make_visit(
            partner_city=cls.minsk,
            start_date=D(2023, 11, 1),
            status=VisitStatus.PLANNED,
            head_level=DelegationLevel.MAYOR,
        )
        make_visit(
            partner_city=cls.minsk,
            start_date=D(2023, 4, 1),
            status=VisitStatus.CANCELLED,
            head_level=DelegationLevel.MAYOR,
        )
        make_visit(
            partner_city=quiet, start_date=D(2019, 5, 1), head_level="vice_mayor"
        )
        make_visit(partner_city=cls.voronezh, start_date=None)

    def test_the_cover_comes_first_with_the_office_period_and_maker(self):
        report = ReportFilter(
            FIRST, LAST, today=D(2024, 1, 15), made_by="Wang Fang", language="en"
        )
        book = workbook(report)
        self.assertEqual(book.sheetnames[0], "Cover")
        cover = book["Cover"]
        self.assertEqual(
            [cover[f"A{row}"].value for row in (1, 2, 3)],
            [OFFICE["en"], OFFICE["zh-hans"], OFFICE["ru"]],
        )
        text = cover_text(book)
        self.assertIn("1 January 2023 – 31 December 2023", text)
        self.assertIn("15 January 2024", text)
        self.assertIn("Wang Fang", text)
        self.assertEqual(book.active.title, "Cover")

    def test_the_headline_figures_as_counted_by_hand(self):
        found = figures(workbook(ReportFilter(FIRST, LAST)))
        self.assertEqual(
            found["Delegations received (inbound visits, completed)"][0], 3
        )
        self.assertEqual(found["Delegations sent (outbound visits, completed)"][0], 2)
        senior = found["Delegations led at vice-mayor level or above"]
        self.assertEqual(senior[0], 2)
        self.assertIn("recorded for 3 of 5 completed visits", senior[1])
        self.assertEqual(found["Partner cities with a completed visit"][0], 3)
        self.assertEqual(found["Agreements signed"][0], 1)
        self.assertEqual(found["Agreements renewed"][0], 1)
        self.assertEqual(found["Agreement renewals due"][0], 1)
        self.assertEqual(found["Agreements ended"][0], 1)
        anniversaries = found["Anniversaries of signing reached"]
        self.assertEqual(anniversaries, (5, "3 round anniversaries"))
        quiet = found["Partners gone quiet (no completed visit for 3 years)"]
        self.assertEqual(quiet, (1, "Quietville"))

    def test_visits_confirmed_by_the_partner_are_counted(self):
        contact = make_contact(city=self.voronezh)
        clerk = make_user()
        visits = Visit.objects.filter(partner_city=self.voronezh)
        completed = visits.get(start_date=D(2023, 5, 14))
        month = visits.get(start_date=D(2023, 5, 1))
        outbound = visits.get(direction=Direction.OUTBOUND)

        def reply(visit, kind, **answer):
            request = confirmations.send(visit, contact, clerk)
            confirmations.answer(request, kind, "Ирина", "Мэрия", **answer)

        reply(completed, "confirmed")
        # Confirmed twice, it is one visit.
        reply(completed, "confirmed")
        reply(outbound, "confirmed")
        # Corrections or "not ours" are not a confirmation.
        reply(month, "not_ours")
        # Nor is a link still awaiting an answer.
        confirmations.send(month, contact, clerk)
        confirmed = figures(workbook(ReportFilter(FIRST, LAST)))[
            "Completed visits confirmed by the partner's office"
        ]
        self.assertEqual(confirmed, (2, "of 5 completed visits"))

    def test_the_figures_agree_with_the_sheets(self):
        book = workbook(ReportFilter(FIRST, LAST))
        found = figures(book)
        total = next(
            row
            for row in book["Summary"].iter_rows(values_only=True)
            if row[0] == "Total"
        )
        self.assertEqual(
            total[9:11],
            (
                found["Delegations received (inbound visits, completed)"][0],
                found["Delegations sent (outbound visits, completed)"][0],
            ),
        )
        quiet = [
            row[0]
            for row in book["Summary"].iter_rows(min_row=4, values_only=True)
            if row[13] == "yes"
        ]
        self.assertEqual(quiet, ["Quietville"])
        anniversaries = [
            row
            for row in book["Agreements"].iter_rows(min_row=2, values_only=True)
            if "since signing" in row[1]
        ]
        self.assertEqual(len(anniversaries), 5)

    def test_a_partner_filter_narrows_the_figures(self):
        found = figures(workbook(ReportFilter(FIRST, LAST, partners=[self.minsk])))
        self.assertEqual(
            found["Delegations received (inbound visits, completed)"][0], 1
        )
        self.assertEqual(found["Delegations sent (outbound visits, completed)"][0], 0)
        self.assertEqual(found["Agreement renewals due"][0], 1)
        self.assertEqual(found["Agreements ended"][0], 0)

    def test_the_paragraph_is_made_of_the_figures(self):
        book = workbook(ReportFilter(FIRST, LAST))
        paragraph = book["Cover"].cell(book["Cover"].max_row, 1).value
        for sentence in (
            "3 delegations from partner cities were received.",
            "2 delegations were sent to partner cities.",
            "Visits were exchanged with 3 partner cities.",
            "2 delegations were led at vice-mayor level or above.",
            "The level of the head of 2 delegations is not recorded.",
            "1 agreement was signed.",
            "1 agreement was renewed.",
            "1 agreement ended.",
            "1 renewal fell due.",
            "5 anniversaries of signings fell in the period.",
            "3 of them are round anniversaries.",
            "1 partner city has had no completed visit for 3 years or more: "
            "Quietville.",
            "1 visit without dates is not counted.",
        ):
            self.assertIn(sentence, paragraph)

    def test_a_quiet_period_says_so(self):
        found = figures(workbook(ReportFilter(D(2021, 1, 1), D(2021, 12, 31))))
        self.assertEqual(
            found["Delegations received (inbound visits, completed)"][0], 0
        )
        book = workbook(ReportFilter(D(2021, 1, 1), D(2021, 12, 31)))
        paragraph = book["Cover"].cell(book["Cover"].max_row, 1).value
        self.assertIn("No visit was completed in the period.", paragraph)
        self.assertIn("No agreement was signed, renewed or ended.", paragraph)

    def test_the_queries_do_not_grow_with_the_visits(self):
        report = ReportFilter(FIRST, LAST)
        # 12, and the office's site settings read once for the cover and every
        # sheet's footer (office.read_once).
        with self.assertNumQueries(13):
            build_report(report)
        for day in range(1, 25):
            make_visit(
                partner_city=self.minsk,
                start_date=D(2023, 8, day),
                head_level=DelegationLevel.VICE_MAYOR,
                members=[("Deputy Mayor", "head")],
            )
        with self.assertNumQueries(13):
            build_report(report)


class ReportLanguageTests(TestCase):
    """Names, dates and the office's name in the report's language."""

    @classmethod
    def setUpTestData(cls):
        make_home()
        voronezh = make_city(
            name="Voronezh", name_zh_hans="沃罗涅日", name_ru="Воронеж"
        )
        make_agreement(partner=voronezh)
        make_visit(partner_city=voronezh, start_date=D(2023, 5, 14))
        make_visit(
            partner_city=voronezh,
            start_date=D(2023, 5, 1),
            date_precision=DatePrecision.MONTH,
        )

    def test_each_language(self):
        cases = {
            "en": ("1 January 2023 – 31 December 2023", "May 2023", "Voronezh"),
            "zh-hans": ("2023年1月1日至2023年12月31日", "2023年5月", "沃罗涅日"),
            "ru": ("1 января 2023 г. – 31 декабря 2023 г.", "май 2023 г.", "Воронеж"),
        }
        for language, (period, month, name) in cases.items():
            with self.subTest(language=language):
                book = workbook(ReportFilter(FIRST, LAST, language=language))
                cover = book.worksheets[0]
                self.assertEqual(cover["A1"].value, OFFICE[language])
                self.assertIn(period, cover_text(book))
                visits = book.worksheets[2]
                dated = [row for row in visits.iter_rows(min_row=2) if row[0].value]
                # May 2023, known to the month, is never shown as 1 May.
                self.assertEqual(dated[0][0].value, month)
                self.assertEqual(dated[1][0].number_format, DATE_FORMATS[language][0])
                self.assertEqual(dated[1][3].value, name)

    @override_settings(
        PARTNERSHIPS_OFFICE_NAME={"en": "Office of Example", "zh-hans": "示例办公室"}
    )
    def test_the_office_name_is_read_from_one_place(self):
        self.assertEqual(office_name("zh-hans"), "示例办公室")
        # A language without a name of its own is named in English.
        self.assertEqual(office_name("ru"), "Office of Example")
        self.assertEqual(office_names("zh-hans"), ["示例办公室", "Office of Example"])
        book = workbook(ReportFilter(FIRST, LAST, language="en"))
        self.assertEqual(book["Cover"]["A1"].value, "Office of Example")
        for sheet in book.worksheets:
            self.assertEqual(sheet.oddFooter.left.text, "Office of Example")
