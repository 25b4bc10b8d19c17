"""sitemap.xml: the home page, the directory and every country page, in each
language, and the one rule for a page's language alternates (hreflang), used
both here and in every page's head (chapters/templatetags/alternates.py).
Addresses come from PORTAL_SITE_URL, not from the sites framework's
example.com."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse, translate_url
from django.utils import translation

from .models import Chapter
from .selectors import last_update


def page_alternates(path: str) -> list[dict]:
    """The page at `path` in each configured language, then `x-default`:
    absolute addresses without the query string, as
    [{"lang_code": …, "location": …}] (the shape Django's sitemap template
    reads).

    x-default is the page in the default language, not the address without
    a language prefix: that address only redirects (by Accept-Language, which
    crawlers do not send, so to the default language anyway)."""
    site = settings.SITE_URL.rstrip("/")
    # translate_url resolves the path in the active language: make it the
    # path's own (the sitemap is served outside the language prefix).
    language = translation.get_language_from_path(path) or translation.get_language()
    with translation.override(language):
        alternates = [
            {"lang_code": code, "location": site + translate_url(path, code)}
            for code, _name in settings.LANGUAGES
        ]
        default = site + translate_url(path, settings.LANGUAGE_CODE)
    return [*alternates, {"lang_code": "x-default", "location": default}]


class PortalSitemap(Sitemap):
    # One entry per language; their alternates come from page_alternates,
    # not from Django's own (whose x-default drops the language prefix).
    i18n = True
    alternates = False
    x_default = False

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            url["alternates"] = page_alternates(urlsplit(url["location"]).path)
        return urls


class NamedPageSitemap(PortalSitemap):
    """Pages addressed by their URL name alone."""

    def location(self, item):
        return reverse(item)


class HomeSitemap(NamedPageSitemap):
    changefreq = "monthly"
    priority = 1.0

    def items(self):
        return ["chapters:home"]


class DirectorySitemap(NamedPageSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ["chapters:directory"]


class CountrySitemap(PortalSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Chapter.objects.order_by("country")

    def lastmod(self, chapter):
        return last_update(chapter)


sitemaps = {
    "home": HomeSitemap,
    "directory": DirectorySitemap,
    "countries": CountrySitemap,
}
