"""The public's journey: the partner list, its filters, Voronezh's page in three
languages, the keyboard, and the open data."""

import csv
import datetime
import re

from playwright.sync_api import expect

from partnerships.models import City, Collaboration
from partnerships.models.choices import DatePrecision, VisitStatus
from tests.e2e.helpers import BrowserTestCase
from tests.factories import (
    make_activity,
    make_agreement,
    make_city,
    make_collaboration,
    make_visit,
)

# Where a focused element sits, in the order a keyboard user meets them.
REGIONS = ["skip link", "header", "main", "footer"]

FOCUSED = """() => {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const region = el.classList.contains("skip-link") ? "skip link"
    : el.closest("header.site-header") ? "header"
    : el.closest("main") ? "main"
    : el.closest("footer.site-footer") ? "footer" : el.tagName.toLowerCase();
  const text = (el.innerText || "").trim();
  return {
    tag: el.tagName.toLowerCase(),
    // Form fields by id (their text is their options); links and buttons by text.
    key: ["input", "select", "textarea"].includes(el.tagName.toLowerCase())
      ? "#" + el.id : text,
    href: el.getAttribute("href"),
    region: region,
    visible: box.width > 0 && box.height > 0 && style.visibility !== "hidden"
      && box.bottom > 0 && box.top < window.innerHeight
      && box.right > 0 && box.left < window.innerWidth,
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
  };
}"""


NEXT_YEAR = datetime.date.today().year + 1


def add_visits_to_voronezh(count):
    """``count`` completed visits over the years, a planned one and a planned
    activity: enough for folded years and a second page of visits."""
    voronezh = City.objects.get(slug="voronezh")
    for number in range(count):
        make_visit(
            partner_city=voronezh,
            home_party=City.objects.get(slug="chongqing"),
            start_date=datetime.date(1996 + number % 30, 1 + number % 12, 10),
            title=f"Delegation on trade, {number + 1}",
            members=[("Deputy Mayor of Voronezh", "head")],
        )
    make_visit(
        partner_city=voronezh,
        home_party=City.objects.get(slug="chongqing"),
        status="planned",
        start_date=datetime.date(NEXT_YEAR, 5, 1),
        date_precision="month",
        title="Delegation to the Western China International Fair",
    )
    make_activity(
        collaboration=Collaboration.objects.get(sector__code="education"),
        start_date=datetime.date(NEXT_YEAR, 9, 1),
        date_precision="month",
        title="Summer school in Voronezh",
    )


class PublicJourneyTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        # A second partner, in another country and sector, so that each filter
        # visibly leaves one city out.
        toledo = make_city(name="Toledo", country="ES", slug="toledo")
        make_collaboration(
            agreement=make_agreement(partner=toledo),
            sector="sport",
            title="Youth football exchange",
        )

    def city_names(self):
        return self.page.locator("ol.city-list h3").all_inner_texts()

    def filter_list(self, **choices):
        """Choose filter values by their visible labels and submit the form."""
        # On a wide screen every filter shows; on a narrow one they fold away.
        summary = self.page.locator("details.more-filters > summary")
        if summary.is_visible() and not self.page.get_by_label("Country").is_visible():
            summary.click()
        for label, option in choices.items():
            self.page.get_by_label(label, exact=True).select_option(label=option)
        self.page.get_by_role("button", name="Show cities").click()
        self.page.wait_for_load_state()

    def test_filter_open_switch_language_and_download(self):
        page = self.page
        self.visit("/partners/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Partner cities")
        expect(page.locator("#results-heading")).to_have_text("2 partner cities")
        self.assertEqual(self.city_names(), ["Toledo", "Voronezh"])
        self.shot("partner list")

        self.filter_list(Country="Russia")
        self.assertIn("country=RU", page.url)
        expect(page.locator("#results-heading")).to_have_text("1 partner city")
        self.assertEqual(self.city_names(), ["Voronezh"])
        self.shot("filtered by country")

        self.filter_list(
            **{"Country": "Any country", "Sector of collaboration": "Sport"}
        )
        self.assertIn("sector=sport", page.url)
        self.assertEqual(self.city_names(), ["Toledo"])
        self.filter_list(**{"Sector of collaboration": "Healthcare"})
        self.assertEqual(self.city_names(), ["Voronezh"])
        self.shot("filtered by sector")

        # The list's own download takes the same filters.
        with page.expect_download() as download_info:
            downloads = page.locator("p.downloads")
            downloads.get_by_role("link", name="CSV", exact=True).click()
        rows = self.read_csv(download_info.value)
        self.assertEqual([row["slug"] for row in rows], ["voronezh"])

        page.get_by_role("link", name="Voronezh", exact=True).click()
        expect(page).to_have_url(re.compile(r"/partners/voronezh/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Voronezh")
        expect(page.locator(".since")).to_contain_text("20 October 1993")
        self.shot("voronezh")

        # The switch's label is in the page's language, so it is found by class.
        languages = page.locator("nav.language-switch")
        languages.get_by_role("link", name="简体中文").click()
        expect(page).to_have_url(re.compile(r"/zh-hans/partners/voronezh/$"))
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
        expect(page.get_by_role("heading", level=1)).to_have_text("沃罗涅日")
        # The interface is translated too, not only the city's name.
        expect(page.locator("#visits-heading")).not_to_have_text("Delegation visits")
        expect(page.locator("#visits-heading")).to_have_text(
            re.compile(r"[\u4e00-\u9fff]")
        )
        self.shot("voronezh in chinese")

        languages.get_by_role("link", name="Русский").click()
        expect(page).to_have_url(re.compile(r"/ru/partners/voronezh/$"))
        expect(page.locator("html")).to_have_attribute("lang", "ru")
        expect(page.get_by_role("heading", level=1)).to_have_text("Воронеж")
        expect(page.locator("#visits-heading")).to_have_text(re.compile("[а-яА-Я]"))
        self.shot("voronezh in russian")

        languages.get_by_role("link", name="English").click()
        expect(page).to_have_url(re.compile(r"//[^/]+/partners/voronezh/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Voronezh")

        with page.expect_download() as download_info:
            page.get_by_role("link", name="Open data (CSV)").click()
        download = download_info.value
        self.assertEqual(download.suggested_filename, "partner-cities.csv")
        rows = self.read_csv(download)
        self.assertEqual([row["slug"] for row in rows], ["toledo", "voronezh"])
        voronezh = rows[1]
        self.assertEqual(voronezh["name_local"], "Воронеж")
        self.assertEqual(voronezh["name_zh_hans"], "沃罗涅日")
        self.assertEqual(voronezh["country"], "RU")
        self.assertEqual(voronezh["signed_on"], "1993-10-20")
        self.assertEqual(voronezh["founded_year"], "1586")
        self.assertTrue(voronezh["url"].endswith("/partners/voronezh/"))
        self.assertNotIn("internal_notes", rows[0])
        self.assertNotIn("published", rows[0])

    def test_coming_up_folded_years_and_every_visit_in_pages(self):
        page = self.page
        add_visits_to_voronezh(60)
        self.visit("/partners/voronezh/")
        facts = page.locator("aside.facts-box")
        expect(facts).to_contain_text("Distance from Chongqing")
        expect(facts).to_contain_text("about 5,950 km")
        coming_up = page.locator("section.coming-up")
        expect(coming_up.get_by_role("heading", level=2)).to_have_text("Coming up")
        expect(coming_up.locator(".tag--planned")).to_have_count(2)
        expect(coming_up).to_contain_text(f"May {NEXT_YEAR}")
        # The latest years open, the older ones folded until asked for.
        latest = page.locator("details.year").first
        expect(latest).to_have_attribute("open", "")
        folded = page.locator("details#year-2019")
        expect(folded.locator("li.visit").first).to_be_hidden()
        folded.locator("summary").click()
        expect(folded.locator("li.visit").first).to_be_visible()
        self.shot("voronezh coming up and timeline")

        page.get_by_role("link", name="All 62 visits, newest first").click()
        expect(page).to_have_url(re.compile(r"/partners/voronezh/visits/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Delegation visits: Voronezh"
        )
        expect(page.locator("li.visit")).to_have_count(50)
        self.shot("all visits, page 1")
        page.get_by_role("link", name="Next page").click()
        expect(page).to_have_url(re.compile(r"/visits/\?page=2$"))
        expect(page.locator("li.visit")).to_have_count(12)
        expect(page.locator("#year-undated-heading")).to_have_text("Date not published")
        self.shot("all visits, page 2")

        self.visit("/zh-hans/partners/voronezh/visits/?page=2")
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
        self.shot("all visits in chinese")

    def read_csv(self, download):
        self.assertIsNone(download.failure())
        with open(download.path(), encoding="utf-8-sig", newline="") as file:
            return list(csv.DictReader(file))

    def tab_stops(self, path):
        """Every element Tab reaches on ``path``, from the top, until it comes round."""
        page = self.page
        self.visit(path)
        stops = []
        for _ in range(80):
            page.keyboard.press("Tab")
            stop = page.evaluate(FOCUSED)
            if stops and (stop["key"] == stops[0]["key"]):
                break  # round again to the first stop
            if stop["tag"] == "body":
                break  # Chromium gives focus to the browser's own controls
            stops.append(stop)
            if len(stops) == 1:
                self.shot("skip link focused")
        else:
            self.fail(f"Tab never left the page or came round: {stops}")
        return stops

    def assert_keyboard_order(self, stops):
        """Skip link, header, content, footer, each stop visible with its outline."""
        names = [(stop["region"], stop["key"]) for stop in stops]
        self.assertEqual(names[0], ("skip link", "Skip to main content"), names)
        self.assertEqual(
            names[1:5],
            [
                # The office, named by the setting (the seed saves no site
                # settings), and the site.
                (
                    "header",
                    "Foreign Affairs Office of Chongqing Municipal People's "
                    "Government\nInternational partnerships",
                ),
                ("header", "English"),
                ("header", "简体中文"),
                ("header", "Русский"),
            ],
        )
        self.assertEqual(
            names[-5:],
            [
                ("footer", "Contact the office / propose an exchange"),
                ("footer", "All partner cities"),
                ("footer", "Open data (CSV)"),
                ("footer", "Open data (JSON)"),
                ("footer", "Privacy notice"),
            ],
        )
        # Regions come in reading order, every stop is in one of them, and each
        # is on screen with the focus outline drawn.
        order = [REGIONS.index(stop["region"]) for stop in stops]
        self.assertEqual(order, sorted(order), names)
        for stop in stops:
            self.assertTrue(stop["visible"], f"focused but not visible: {stop}")
            self.assertTrue(stop["outline"], f"focused without an outline: {stop}")
        return [key for region, key in names if region == "main"]

    def test_keyboard_tab_order_on_a_partner_page(self):
        page = self.page
        content = self.assert_keyboard_order(self.tab_stops("/partners/voronezh/"))
        self.assertEqual(content[0], "Partner cities")

        # The skip link takes the keyboard past the header, into the content.
        self.visit("/partners/voronezh/")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(page.locator("main#content")).to_be_focused()
        page.keyboard.press("Tab")
        self.assertEqual(page.evaluate(FOCUSED)["key"], "Partner cities")
        self.assertEqual(page.evaluate(FOCUSED)["region"], "main")
        self.shot("after skip link")

    def test_keyboard_tab_order_on_the_partner_list(self):
        content = self.assert_keyboard_order(self.tab_stops("/partners/"))
        # The filters in the order they are shown, the button that applies
        # them, then the downloads and the cities.
        self.assertEqual(
            content,
            [
                "#id_q",
                "#id_country",
                "#id_kind",
                "#id_sector",
                "#id_signed_from",
                "#id_signed_to",
                "#id_sort",
                "Show cities",
                "CSV",
                "CSV for Excel (semicolon)",
                "JSON",
                "Calendar of what is coming (iCal)",
                "Toledo",
                "Voronezh",
            ],
        )

    def test_the_console_watch_sees_a_csp_violation(self):
        """The check every journey relies on: a blocked inline script is reported."""
        self.visit("/partners/")
        with self.expect_console_error(
            r"Content Security Policy", "this test breaks the policy on purpose"
        ):
            self.page.evaluate(
                """() => {
                    const script = document.createElement("script");
                    script.textContent = "document.body.dataset.ran = 'yes'";
                    document.body.appendChild(script);
                }"""
            )
            # The policy refused it: the inline script did not run.
            self.assertIsNone(self.page.locator("body").get_attribute("data-ran"))


class PublicOnAPhoneTests(BrowserTestCase):
    viewport = {"width": 360, "height": 740}

    def fits_the_screen(self):
        width, screen = self.page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        self.assertLessEqual(width, screen, f"wider than the phone: {self.page.url}")

    def test_partner_pages_fit_a_phone_screen(self):
        page = self.page
        self.visit("/partners/")
        self.fits_the_screen()
        # The extra filters fold away behind a summary the reader can open.
        country = page.locator("#id_country")
        expect(country).to_be_hidden()
        page.locator("details.more-filters > summary").click()
        expect(country).to_be_visible()
        self.shot("phone partner list")
        for prefix in ("", "/zh-hans", "/ru"):
            self.visit(f"{prefix}/partners/voronezh/")
            self.fits_the_screen()
        self.shot("phone voronezh in russian")

    def test_timeline_and_visits_fit_a_phone_screen(self):
        add_visits_to_voronezh(60)
        for path in ("/partners/voronezh/", "/ru/partners/voronezh/visits/?page=2"):
            self.visit(path)
            self.fits_the_screen()
            self.shot(f"phone {path}")


#: Each language's address prefix, and the page's ``lang`` in it.
PREFIXES = (("", "en"), ("/zh-hans", "zh-Hans"), ("/ru", "ru"))


class EveryPublicPageInEachLanguageTests(BrowserTestCase):
    """The partner list with its map, the Voronezh page and the contact form, in
    English, Chinese and Russian, on a desktop and a phone: each screenshot
    checked by axe-core, and no page wider than its screen."""

    fixtures = ["seed", "site_settings"]

    def setUp(self):
        super().setUp()
        voronezh = City.objects.get(slug="voronezh")
        next_year = datetime.date.today().year + 1
        make_visit(
            partner_city=voronezh,
            home_party=City.objects.get(role="home"),
            status=VisitStatus.PLANNED,
            start_date=datetime.date(next_year, 5, 1),
            date_precision=DatePrecision.MONTH,
            title="Voronezh trade delegation",
            title_zh_hans="沃罗涅日经贸代表团",
            title_ru="Торговая делегация Воронежа",
        )

    def test_list_partner_page_and_contact_form(self):
        for width, height in ((1280, 900), (390, 844)):
            self.page.set_viewport_size({"width": width, "height": height})
            for prefix, language in PREFIXES:
                for path, name in (
                    ("/partners/", "partner list with the map"),
                    ("/partners/voronezh/", "voronezh"),
                    ("/contact/", "contact form"),
                ):
                    with self.subTest(width=width, language=language, page=name):
                        self.visit(f"{prefix}{path}")
                        expect(self.page.locator("html")).to_have_attribute(
                            "lang", language
                        )
                        page_width, screen = self.page.evaluate(
                            "[document.documentElement.scrollWidth, window.innerWidth]"
                        )
                        self.assertLessEqual(page_width, screen)
                        self.shot(f"{name} in {language} at {width} px")
