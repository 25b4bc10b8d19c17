from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_bidi

from config.outbox import outbox_active

from .permissions import is_organiser


def portal(request):
    """Layout facts every page needs: direction, the same page in the other
    language (for the switcher and hreflang), and the viewer's role."""
    path = request.get_full_path()
    alternates = [
        {
            "code": code,
            "name": name,
            "url": translate_url(path, code),
            "active": code == get_language(),
        }
        for code, name in settings.LANGUAGES
    ]
    user = getattr(request, "user", None)
    return {
        "text_direction": "rtl" if get_language_bidi() else "ltr",
        "language_alternates": alternates,
        "site_url": settings.SITE_URL,
        "viewer_is_organiser": bool(user and is_organiser(user)),
        "outbox_enabled": outbox_active(),
    }
