from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from config import outbox, views
from config.admin_login import admin_login

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"

# The admin signs in through the portal's sign-in and its rate limits; its
# own password form is never served (config/admin_login.py).
admin.site.login = admin_login

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Open-data API (/api/v1/...) and sitemap.xml, outside the language prefix.
    path("", include("chapters.root_urls")),
    # The meeting day's service worker, at the root to serve every language.
    path("", include("meetings.root_urls")),
]

urlpatterns += i18n_patterns(
    path("", include("chapters.urls")),
    path("", include("members.urls")),
    path("", include("meetings.urls")),
    # Before allauth's own: sign-out also clears what the device kept.
    path("accounts/logout/", views.SignOutView.as_view(), name="account_logout"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("dev/outbox/", outbox.outbox_list, name="outbox_list"),
    path("dev/outbox/<str:name>/", outbox.outbox_detail, name="outbox_detail"),
    prefix_default_language=True,
)

if settings.DEBUG:
    # Logos in the embedded demo; production serves them from the reverse
    # proxy (see README, Deployment). Only logos: they are public, re-encoded
    # PNGs. Meeting materials stay behind their views (organiser or personal
    # link), which send them as downloads.
    urlpatterns += [
        path(
            "media/logos/<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT / "logos"},
        )
    ]
