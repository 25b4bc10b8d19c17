"""sitemap.xml: the directory and every country page, each with its
alternate in the other language. Addresses come from PORTAL_SITE_URL, not
from the sites framework's example.com."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Chapter
from .selectors import last_update


class PortalSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class DirectorySitemap(PortalSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ["chapters:directory"]

    def location(self, item):
        return reverse(item)


class CountrySitemap(PortalSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Chapter.objects.order_by("country")

    def lastmod(self, chapter):
        return last_update(chapter)


sitemaps = {"directory": DirectorySitemap, "countries": CountrySitemap}
