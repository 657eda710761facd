"""/sitemap.xml: the partner list, every published partner page, and the office's
contact page and privacy notice, per language."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from ..models import City


class PartnerListSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"

    def items(self):
        return ["partnerships:city-list"]

    def location(self, item):
        return reverse(item)


class PartnerSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "monthly"

    def items(self):
        return (
            City.objects.partners_of_home().only("slug", "updated_at").order_by("slug")
        )

    def lastmod(self, city):
        return city.updated_at


class OfficeSitemap(Sitemap):
    """How to reach the office: its contact page and privacy notice."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "yearly"

    def items(self):
        return ["partnerships:contact", "partnerships:privacy"]

    def location(self, item):
        return reverse(item)


sitemaps = {
    "list": PartnerListSitemap,
    "partners": PartnerSitemap,
    "office": OfficeSitemap,
}
