"""/sitemap.xml: the partner list and every published partner page, per language."""

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


sitemaps = {"list": PartnerListSitemap, "partners": PartnerSitemap}
