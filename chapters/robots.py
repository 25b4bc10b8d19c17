"""robots.txt: crawlers may read the public pages and the open data; they
are kept out of personal links (whose tokens must not end up in an index or
spend the link-guessing limit), of organiser, staff and account pages, the
admin and the development outbox. It names the sitemap by its absolute
address, as the robots exclusion protocol asks (RFC 9309)."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

# Under each language prefix (/<lang>/…): the first segments of the paths
# kept out. Personal links: invitee pages and their materials
# (meetings/urls.py "invitation/"), membership answers (members/urls.py
# "membership/"), opt-out links ("opt-out/"); the organisers' invitation
# links live under "manage/invitations/" (chapters/urls.py).
PRIVATE_PREFIXES = (
    "invitation/",
    "membership/",
    "opt-out/",
    "manage/",
    "staff/",
    "my/",
    "accounts/",
    "admin/",
    "dev/outbox/",
)
# Crawlers read it seldom; a day keeps it off the database most of the time.
MAX_AGE = 24 * 60 * 60


def disallowed_paths() -> list[str]:
    """Every private prefix under every configured language, so a language
    added to settings.LANGUAGES is covered without an edit here."""
    return [
        f"/{code}/{prefix}"
        for code, _name in settings.LANGUAGES
        for prefix in PRIVATE_PREFIXES
    ]


@require_safe
def robots_txt(request):
    """The same text for everyone: rendered without the request, so no
    context processor reads the session (no Vary: Cookie, no query)."""
    sitemap = settings.SITE_URL.rstrip("/") + reverse("sitemap")
    text = render_to_string(
        "robots.txt", {"disallowed": disallowed_paths(), "sitemap": sitemap}
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
