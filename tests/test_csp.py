"""Every page works under the Content-Security-Policy: nothing inline that it blocks.

A real browser checks this end to end (tests/e2e); here every page's HTML is read for
what the policy would refuse: inline scripts, event-handler attributes, style
attributes and javascript: links.
"""

from html.parser import HTMLParser

from django.test import TestCase

from tests.factories import make_user


class InlineFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []
        self.in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name == "style":
                self.problems.append(f"<{tag} style={value!r}>")
            if name in {"href", "src", "action"} and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:...>")
        if tag == "script" and "src" not in attributes:
            kind = attributes.get("type", "text/javascript")
            # JSON data blocks (the office's schema.org JSON-LD on every public
            # page among them) are not run, and the policy allows them.
            self.in_inline_script = kind not in {
                "application/json",
                "application/ld+json",
                "text/template",
            }

    def handle_data(self, data):
        if self.in_inline_script and data.strip():
            self.problems.append(f"inline <script>: {data.strip()[:60]!r}")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_inline_script = False


PUBLIC_PAGES = [
    "/partners/",
    "/partners/voronezh/",
    "/zh-hans/partners/",
    "/zh-hans/partners/voronezh/",
    "/ru/partners/",
    "/ru/partners/voronezh/",
    "/partners/?country=XX&year_from=1e400",
    "/partners/no-such-city/",
    "/admin/login/",
]

ADMIN_PAGES = [
    "/admin/",
    "/admin/partnerships/visit/",
    "/admin/partnerships/visit/add/",
    "/admin/partnerships/visit/1/change/",
    "/admin/partnerships/visit/1/history/",
    "/admin/partnerships/visit/1/delete/",
    "/admin/partnerships/visit/import/",
    "/admin/partnerships/visit/export/",
    "/admin/partnerships/agreement/",
    "/admin/partnerships/agreement/1/change/",
    "/admin/partnerships/city/",
    "/admin/partnerships/city/2/change/",
    "/admin/partnerships/city/2/delete/",
    "/admin/partnerships/institution/",
    "/admin/partnerships/institution/1/change/",
    "/admin/partnerships/collaboration/1/change/",
    "/admin/partnerships/activity/",
    "/admin/partnerships/person/",
    "/admin/partnerships/source/1/change/",
    "/admin/auth/user/",
    "/admin/auth/group/",
    "/admin/password_change/",
    "/zh-hans/admin/",
    "/ru/admin/partnerships/visit/",
]


class ContentSecurityPolicyTests(TestCase):
    fixtures = ["seed"]

    @classmethod
    def setUpTestData(cls):
        cls.root = make_user(is_superuser=True)

    def assertWorksUnderPolicy(self, path):
        response = self.client.get(path)
        self.assertIn(response.status_code, {200, 404}, path)
        policy = response["Content-Security-Policy"]
        self.assertIn("script-src 'self'", policy)
        self.assertIn("style-src 'self'", policy)
        self.assertIn("frame-ancestors 'none'", policy)
        self.assertNotIn("unsafe-inline", policy)
        finder = InlineFinder()
        finder.feed(response.content.decode())
        self.assertEqual(finder.problems, [], path)

    def test_public_pages(self):
        for path in PUBLIC_PAGES:
            with self.subTest(path=path):
                self.assertWorksUnderPolicy(path)

    def test_admin_pages(self):
        self.client.force_login(self.root)
        for path in ADMIN_PAGES:
            with self.subTest(path=path):
                self.assertWorksUnderPolicy(path)

    def test_the_finder_finds_what_the_policy_blocks(self):
        finder = InlineFinder()
        finder.feed(
            '<p style="color:red" onclick="x()"><script>alert(1)</script>'
            '<script src="/static/a.js"></script><a href="javascript:void(0)">'
        )
        self.assertEqual(len(finder.problems), 4)
