"""Nothing unpublished and no internal note reaches any public response.

A marker is planted in every internal field and in every record the public may not
see; then every public response, in every language, is searched for it.
"""

import contextlib
import datetime
from unittest import mock

from django.core.cache import cache
from django.test import TestCase

from partnerships.models import (
    PUBLISHABLE_MODELS,
    AgreementStatusChange,
    CollaborationParticipant,
    InstitutionAlias,
    RequestEvent,
)
from partnerships.models.choices import (
    CityRole,
    DelegationRole,
    RequestEventKind,
    Side,
)
from partnerships.publication import internal_fields
from tests.factories import (
    make_activity,
    make_agreement,
    make_city,
    make_collaboration,
    make_district,
    make_home,
    make_institution,
    make_person,
    make_request,
    make_source,
    make_visit,
)

MARKER = "XSECRETX"


class Watched:
    """An internal field's attribute that notes each time it is read."""

    def __init__(self, model, name, reads):
        self.label, self.name, self.reads = model.__name__, name, reads

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        self.reads.add(f"{self.label}.{self.name}")
        return obj.__dict__.get(self.name)

    def __set__(self, obj, value):
        obj.__dict__[self.name] = value


LANGUAGES = ("", "/zh-hans", "/ru")
D = datetime.date


def secret(label):
    return f"{label} {MARKER}"


class PrivacyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = make_home(internal_notes=secret("home notes"))
        home.internal_notes = secret("home notes")
        home.save()
        hidden_district = make_district(
            name=secret("hidden district"), slug="district-x", published=False
        )
        cls.city = make_city(
            name="Voronezh", slug="voronezh", internal_notes=secret("city notes")
        )
        agreement = make_agreement(
            partner=cls.city, internal_notes=secret("agreement notes")
        )
        source = make_source(
            title="Public article", credit="Source: the office", notes=secret("src")
        )
        for record in (cls.city, agreement):
            record.sources.add(source)

        # Published records carrying internal notes.
        head = make_person(name="Public Person", notes=secret("person notes"))
        visit = make_visit(
            partner_city=cls.city,
            home_party=home,
            internal_notes=secret("visit notes"),
            members=[{"person": head, "title_at_time": "Mayor", "role": "head"}],
        )
        visit.sources.add(source)
        home_side = make_institution(
            city=home, name="Public Hospital", internal_notes=secret("inst notes")
        )
        collaboration = make_collaboration(
            agreement=agreement,
            internal_notes=secret("collaboration notes"),
            participants=[home_side],
        )
        make_activity(
            collaboration=collaboration, internal_notes=secret("activity notes")
        )
        make_activity(visit=visit, internal_notes=secret("visit activity notes"))

        # Unpublished records hanging from published ones.
        draft_visit = make_visit(
            partner_city=cls.city,
            home_party=home,
            published=False,
            title=secret("draft visit"),
            public_summary=secret("draft summary"),
            date_note=secret("draft date note"),
            members=[(secret("draft member"), DelegationRole.HEAD)],
        )
        draft_visit.sources.add(make_source(title=secret("draft visit source")))
        make_activity(visit=draft_visit, title=secret("activity of draft visit"))
        draft_collaboration = make_collaboration(
            agreement=agreement,
            published=False,
            title=secret("draft collaboration"),
            summary=secret("draft collaboration summary"),
        )
        make_activity(
            collaboration=draft_collaboration,
            title=secret("activity of draft collaboration"),
        )
        make_activity(
            collaboration=collaboration,
            published=False,
            title=secret("draft activity"),
        )
        draft_institution = make_institution(
            city=cls.city, name=secret("draft institution"), published=False
        )
        InstitutionAlias.objects.create(
            institution=draft_institution, name=secret("alias of draft")
        )
        CollaborationParticipant.objects.create(
            collaboration=collaboration,
            institution=draft_institution,
            side=Side.PARTNER,
        )
        institution_of_hidden = make_institution(
            city=hidden_district, name=secret("institution of hidden district")
        )
        CollaborationParticipant.objects.create(
            collaboration=collaboration,
            institution=institution_of_hidden,
            side=Side.HOME,
        )

        # Records hidden because something they hang from is unpublished.
        hidden_city = make_city(
            name=secret("hidden city"), slug="hidden-xsecretx", published=False
        )
        make_agreement(partner=hidden_city, home_party=home)
        draft_only = make_city(name=secret("draft agreement city"), slug="draft-only")
        make_agreement(partner=draft_only, home_party=home, published=False)
        district_only = make_city(name=secret("via hidden district"), slug="via-d")
        district_agreement = make_agreement(
            partner=district_only, home_party=hidden_district
        )
        make_collaboration(
            agreement=district_agreement, title=secret("collab of hidden district")
        )
        make_visit(
            partner_city=cls.city,
            home_party=hidden_district,
            title=secret("visit from hidden district"),
        )
        # A published activity that took place in an unpublished city.
        make_activity(visit=visit, location=hidden_city, title="Public exhibition")
        assert hidden_district.role == CityRole.DISTRICT

        # What is planned ("Coming up"), and what of it is not public.
        ahead = D(datetime.date.today().year + 1, 5, 1)
        planned = make_visit(
            partner_city=cls.city,
            home_party=home,
            status="planned",
            start_date=ahead,
            date_precision="month",
            internal_notes=secret("planned visit notes"),
            members=[{"title_at_time": "Mayor of Voronezh", "role": "head"}],
        )
        make_activity(
            visit=planned, published=False, start_date=ahead, title=secret("a")
        )
        make_visit(
            partner_city=cls.city,
            home_party=home,
            status="planned",
            start_date=ahead,
            published=False,
            title=secret("draft planned visit"),
        )
        make_activity(
            collaboration=draft_collaboration,
            start_date=ahead,
            title=secret("planned activity of draft collaboration"),
        )
        make_activity(
            collaboration=collaboration,
            start_date=ahead,
            published=False,
            title=secret("draft planned activity"),
            internal_notes=secret("planned activity notes"),
        )
        make_activity(
            collaboration=collaboration,
            start_date=ahead,
            title="Public planned exhibition",
            internal_notes=secret("public planned activity notes"),
        )
        # Enough visits for a second page of them, each with an internal note.
        for number in range(60):
            make_visit(
                partner_city=cls.city,
                home_party=home,
                start_date=D(1995 + number % 30, 3, 1),
                internal_notes=secret(f"archive visit {number}"),
            )

        # A request from the public, about a published partner: never public.
        request = make_request(
            partner_city=cls.city,
            name=secret("sender"),
            organisation=secret("organisation"),
            email="xsecretx@example.org",
            telephone="+86 23 0000 0000",
            other_city=secret("other city"),
            message=secret("request message"),
        )
        RequestEvent.objects.create(
            request=request, kind=RequestEventKind.NOTE, text=secret("triage note")
        )

    def public_urls(self):
        urls = ["/robots.txt", "/sitemap.xml", "/"]
        for prefix in LANGUAGES:
            urls += [
                f"{prefix}/partners/",
                f"{prefix}/partners/?sort=-visit",
                f"{prefix}/partners/?sector=economy&kind=sister_city",
                f"{prefix}/partners/?q=secret",
                f"{prefix}/partners/?country=ZZ&signed_from=x",
                f"{prefix}/partners/voronezh/",
                f"{prefix}/partners/voronezh/visits/",
                f"{prefix}/partners/voronezh/visits/?page=2",
                f"{prefix}/partners/hidden-xsecretx/visits/",
                f"{prefix}/partners/draft-only/visits/",
                f"{prefix}/partners/hidden-xsecretx/",
                f"{prefix}/partners/draft-only/",
                f"{prefix}/partners/via-d/",
                f"{prefix}/partners/no-such-city/",
                f"{prefix}/partners.csv",
                f"{prefix}/partners.csv?q=secret",
                f"{prefix}/partners-excel.csv?q=secret",
                f"{prefix}/partners.json",
                f"{prefix}/partners.json?sort=-signed",
                f"{prefix}/contact/",
                f"{prefix}/contact/sent/",
                f"{prefix}/privacy/",
            ]
        return urls

    def content(self, response):
        if response.streaming:
            return b"".join(response.streaming_content).decode()
        return response.content.decode()

    def test_marker_is_nowhere_public(self):
        seen = 0
        for url in self.public_urls():
            with self.subTest(url=url):
                response = self.client.get(url, follow=True)
                self.assertIn(response.status_code, (200, 404))
                body = self.content(response)
                self.assertNotIn(MARKER.lower(), body.lower())
                seen += "Voronezh" in body or "voronezh" in body
        self.assertGreater(seen, 20)

    def test_no_public_page_reads_an_internal_field(self):
        """Every field a public page or export reads is among the public ones
        (``partnerships/publication.py``): each internal field is watched."""
        reads = set()
        watched = contextlib.ExitStack()
        for model in (*PUBLISHABLE_MODELS, AgreementStatusChange):
            for field in model._meta.concrete_fields:
                if field.name in internal_fields(model):
                    watched.enter_context(
                        mock.patch.object(
                            model, field.attname, Watched(model, field.attname, reads)
                        )
                    )
        with watched:
            cache.clear()
            for url in self.public_urls():
                self.content(self.client.get(url, follow=True))
        self.assertEqual(reads, set())

    def test_what_is_published_is_shown(self):
        # The search above would pass on an empty page: check the page is full.
        response = self.client.get("/partners/voronezh/")
        for text in (
            "Public Person, Mayor",
            "Public Hospital",
            "Source: the office",
            "Coming up",
            "Mayor of Voronezh",
            "Public planned exhibition",
            "/partners/voronezh/visits/",
        ):
            self.assertContains(response, text)
        second = self.client.get("/partners/voronezh/visits/", {"page": 2})
        self.assertContains(second, "Page 2 of 2")

    def test_hidden_cities_answer_404(self):
        for slug in ("hidden-xsecretx", "draft-only", "via-d"):
            for prefix in LANGUAGES:
                response = self.client.get(f"{prefix}/partners/{slug}/")
                self.assertEqual(response.status_code, 404)

    def test_search_does_not_reveal_unpublished_names(self):
        for text in ("draft institution", "alias of draft", "hidden city"):
            response = self.client.get("/partners/", {"q": text})
            self.assertEqual(list(response.context["cities"]), [], text)
