"""The meeting day as an installable app that keeps working offline: the
service worker's script (served from the site's root, so that it may keep
the organiser pages under every language prefix) and the app's manifest, in
the page's language. What the worker keeps, and for how long, each page says
itself (`MeetingDayPage`)."""

from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


@require_GET
@cache_control(no_cache=True)
def service_worker(request):
    """The worker's script. Browsers check it for updates on every visit;
    `no-cache` makes them ask, and it is small."""
    response = render(
        request,
        "meetings/meeting_day_sw.js",
        {"static_prefix": static("")},
        content_type="text/javascript; charset=utf-8",
    )
    return response


@require_GET
def manifest(request):
    """The installed app opens on the organiser's chapters, in the language
    the organiser installed it from. Public (browsers fetch a manifest
    without cookies), and it holds nothing personal."""
    return JsonResponse(
        {
            "name": _("CLD chapters: meeting day"),
            "short_name": _("Meeting day"),
            "description": _(
                "Check-in, notes and ideas of the chapter's meetings, even "
                "when the venue has no network."
            ),
            "lang": get_language(),
            "dir": "rtl" if get_language_bidi() else "ltr",
            "start_url": reverse("chapters:my_chapters"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0b6e4f",
            "icons": [
                {
                    "src": static(f"img/app-icon-{size}.png"),
                    "sizes": f"{size}x{size}",
                    "type": "image/png",
                    "purpose": "any maskable",
                }
                for size in (192, 512)
            ],
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )
