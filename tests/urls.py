"""Addresses for tests, reversed from the URL names (chapters/urls.py,
members/urls.py, meetings/urls.py, config/urls.py), so a moved route fails
where it is defined rather than in every test that typed it.

Not a URLconf: the project's is config.urls."""

from django.urls import reverse
from django.utils import translation


def url(name: str, *args, language: str = "en", **kwargs) -> str:
    """The path of the route `name` under the `language` prefix, e.g.
    url("chapters:manage", "jo") == "/en/manage/jo/". Routes outside the
    language prefix (api:…, sitemap, healthz) come out the same in either
    language. A route with a parameter called `language` takes its
    arguments positionally."""
    with translation.override(language):
        return reverse(name, args=args or None, kwargs=kwargs or None)
