"""The public page cache: served from the cache, renewed by any change, never leaky."""

import io
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.cache import cache, caches
from django.test import TestCase, override_settings
from django.urls import reverse

from partnerships import services
from partnerships.models import City, Sector, Visit
from partnerships.public import cache as page_cache
from partnerships.spreadsheets.previews import SharedTmpStorage
from tests.factories import (
    make_agreement,
    make_city,
    make_home,
    make_user,
    make_visit,
)

PAGE_CACHE = override_settings(PARTNERSHIPS_PAGE_CACHE_SECONDS=600)


class CacheBackendTests(TestCase):
    def test_redis_when_redis_url_is_set_else_local_memory(self):
        backend = settings.CACHES["default"]["BACKEND"]
        if settings.REDIS_URL:
            self.assertEqual(backend, "django.core.cache.backends.redis.RedisCache")
            self.assertEqual(settings.CACHES["default"]["LOCATION"], settings.REDIS_URL)
        else:
            self.assertEqual(backend, "django.core.cache.backends.locmem.LocMemCache")

    def test_generation_seen_by_every_process(self):
        """Without Redis the generation is in files every worker reads, not memory."""
        generation = page_cache.generation_cache()
        if settings.REDIS_URL:
            self.assertIs(generation, caches["default"])
        else:
            self.assertEqual(
                settings.CACHES[page_cache.GENERATION_ALIAS]["BACKEND"],
                "django.core.cache.backends.filebased.FileBasedCache",
            )
        before = page_cache.generation()
        page_cache.invalidate_public_pages()
        # A new connection, as another worker would open: sees the new number.
        other = caches.create_connection(
            page_cache.GENERATION_ALIAS if not settings.REDIS_URL else "default"
        )
        seen = str(other.get(page_cache.scope_key(page_cache.EVERYTHING)))
        self.assertNotEqual(seen, before)
        self.assertEqual(seen, page_cache.generation())

    def test_cache_round_trip(self):
        cache.set("test-cache-round-trip", {"a": 1}, 30)
        self.assertEqual(cache.get("test-cache-round-trip"), {"a": 1})


@PAGE_CACHE
class PageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_home()
        cls.city = make_city(
            name="Cachetown",
            slug="cachetown",
            name_ru="Кэштаун",
            name_zh_hans="缓存镇",
            description="A city on the public site.",
            internal_notes="SECRET city note",
        )
        cls.agreement = make_agreement(partner=cls.city)
        cls.visit = make_visit(
            partner_city=cls.city,
            title="Spring trade mission",
            internal_notes="SECRET visit note",
        )
        cls.url = cls.city.get_absolute_url()

    def get_twice(self, url):
        """The first GET fills the cache; the second must not touch the database."""
        first = self.client.get(url)
        self.assertEqual(first.status_code, 200)
        with self.assertNumQueries(0):
            second = self.client.get(url)
        self.assertEqual(second["X-Page-Cache"], "hit")
        self.assertEqual(second.content, first.content)
        return second

    def test_partner_page_served_from_cache(self):
        response = self.get_twice(self.url)
        self.assertContains(response, "Spring trade mission")
        self.assertEqual(response["Content-Type"], "text/html; charset=utf-8")

    def test_list_and_open_data_served_from_cache(self):
        self.assertContains(self.get_twice("/partners/"), "Cachetown")
        self.assertContains(self.get_twice("/partners.json"), "Cachetown")

    def test_query_string_is_part_of_the_address(self):
        self.get_twice("/partners/")
        response = self.client.get("/partners/?q=nothing-matches-this")
        self.assertEqual(response["X-Page-Cache"], "miss")
        self.assertNotContains(response, 'href="/partners/cachetown/"')

    def test_languages_kept_apart(self):
        pages = {
            prefix: self.get_twice(f"{prefix}{self.url}")
            for prefix in ("", "/ru", "/zh-hans")
        }
        self.assertContains(pages[""], '<html lang="en">')
        self.assertContains(pages["/ru"], '<html lang="ru">')
        self.assertContains(pages["/ru"], "Кэштаун")
        self.assertContains(pages["/zh-hans"], '<html lang="zh-Hans">')
        self.assertContains(pages["/zh-hans"], "缓存镇")
        self.assertNotContains(pages[""], '<html lang="ru">')

    def test_editing_a_record_changes_the_page_at_once(self):
        self.get_twice(self.url)
        self.city.description = "Rewritten description."
        self.city.save()
        response = self.client.get(self.url)
        self.assertEqual(response["X-Page-Cache"], "miss")
        self.assertContains(response, "Rewritten description.")

    def test_publishing_and_unpublishing_a_visit(self):
        hidden = make_visit(
            partner_city=self.city, title="Autumn culture week", published=False
        )
        self.assertNotContains(self.get_twice(self.url), "Autumn culture week")
        services.set_published(Visit.objects.filter(pk=hidden.pk), True)
        self.assertContains(self.get_twice(self.url), "Autumn culture week")
        services.set_published(Visit.objects.filter(pk=hidden.pk), False)
        self.assertNotContains(self.client.get(self.url), "Autumn culture week")

    def test_unpublished_city_stays_404_after_being_cached(self):
        self.get_twice(self.url)
        services.set_published(City.objects.filter(pk=self.city.pk), False)
        for _ in range(2):
            self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertNotContains(self.client.get("/partners/"), "Cachetown")
        self.assertNotContains(self.client.get("/partners.json"), "Cachetown")

    def test_many_to_many_and_delete_renew_the_page(self):
        self.get_twice(self.url)
        self.visit.sectors.add(Sector.objects.get(code="healthcare"))
        self.assertContains(self.client.get(self.url), "Healthcare")
        self.visit.delete()
        self.assertNotContains(self.client.get(self.url), "Spring trade mission")

    def test_nothing_internal_in_the_cache(self):
        response = self.get_twice(self.url)
        self.assertNotContains(response, "SECRET")

    def test_staff_are_neither_served_nor_stored(self):
        staff = make_user(is_staff=True)
        self.client.force_login(staff)
        response = self.client.get(self.url)
        self.assertFalse(response.has_header("X-Page-Cache"))
        self.client.logout()
        self.assertEqual(self.client.get(self.url)["X-Page-Cache"], "miss")

    def test_missing_page_not_cached(self):
        self.client.get("/partners/no-such-city/")
        # The city looked for, and the office's settings for the 404 page.
        with self.assertNumQueries(2):
            response = self.client.get("/partners/no-such-city/")
        self.assertEqual(response.status_code, 404)

    def test_lost_generation_starts_afresh(self):
        self.get_twice(self.url)
        page_cache.generation_cache().delete(
            page_cache.scope_key(page_cache.EVERYTHING)
        )
        self.assertEqual(self.client.get(self.url)["X-Page-Cache"], "miss")
        page_cache.invalidate_public_pages()
        self.assertEqual(self.client.get(self.url)["X-Page-Cache"], "miss")

    @override_settings(PARTNERSHIPS_PAGE_CACHE_SECONDS=0)
    def test_off_when_timeout_is_zero(self):
        self.client.get(self.url)
        response = self.client.get(self.url)
        self.assertFalse(response.has_header("X-Page-Cache"))


@override_settings(
    IMPORT_EXPORT_TMP_STORAGE_CLASS="partnerships.spreadsheets.previews.SharedTmpStorage"
)
class SharedTmpStorageTests(TestCase):
    """Between the admin's preview and confirm the upload waits in the shared cache."""

    HEADER = "Direction,Home party,Partner city,Partner country,Start date,Status\n"

    @classmethod
    def setUpTestData(cls):
        make_home()
        make_city(name="Voronezh", country="RU")
        cls.clerk = make_user("cache-clerk")
        cls.clerk.user_permissions.set(
            Permission.objects.filter(
                content_type__app_label="partnerships",
                codename__in=(
                    "view_visit",
                    "change_visit",
                    "add_visit",
                    "import_visit",
                ),
            )
        )

    def preview(self, row):
        upload = io.BytesIO((self.HEADER + row).encode())
        upload.name = "visits.csv"
        response = self.client.post(
            reverse("admin:partnerships_visit_import"),
            {"resource": "0", "format": "0", "import_file": upload},
        )
        return response.context["confirm_form"]

    def confirm(self, confirm_form):
        return self.client.post(
            reverse("admin:partnerships_visit_process_import"),
            {name: confirm_form.initial[name] for name in confirm_form.fields},
            follow=True,
        )

    def test_preview_and_confirm_through_the_cache(self):
        self.client.force_login(self.clerk)
        confirm_form = self.preview(
            "inbound,Chongqing,Voronezh,Russia,2019-05-14,completed\n"
        )
        name = confirm_form.initial["import_file_name"]
        self.assertFalse((Path(tempfile.gettempdir()) / name).exists())
        self.confirm(confirm_form)
        self.assertEqual(Visit.objects.count(), 1)
        with self.assertRaises(FileNotFoundError):
            SharedTmpStorage(name=name).read()

    def test_a_changed_or_lost_upload_is_refused(self):
        self.client.force_login(self.clerk)
        confirm_form = self.preview(
            "inbound,Chongqing,Voronezh,Russia,2019-05-14,completed\n"
        )
        name = confirm_form.initial["import_file_name"]
        SharedTmpStorage(name=name).save(
            (
                self.HEADER
                + "outbound,Chongqing,Voronezh,Russia,2019-05-14,completed\n"
            ).encode()
        )
        self.assertContains(self.confirm(confirm_form), "not the one you previewed")
        SharedTmpStorage(name=name).remove()
        self.assertContains(self.confirm(confirm_form), "is gone")
        self.assertFalse(Visit.objects.exists())

    def test_save_read_remove(self):
        storage = SharedTmpStorage(name=None, read_mode="rb")
        storage.save(b"Direction,Home party\n")
        again = SharedTmpStorage(name=storage.name, read_mode="rb")
        self.assertEqual(again.read(), b"Direction,Home party\n")
        again.remove()
        with self.assertRaises(FileNotFoundError):
            again.read()
