"""Project-wide views: health check, the favicon's old address and error
pages in our layout."""

from allauth.account.views import LogoutView
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """200 when the database answers; 503 otherwise, for load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "unavailable"}, status=503)
    return HttpResponse("ok", content_type="text/plain")


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links; send them to
    the static file (its hashed name in production, so not a permanent
    redirect: the name changes with the file)."""
    return redirect(static("img/favicon.ico"))


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without the request: the failure may be the database that the
    # context processors would query.
    return HttpResponse(loader.get_template("500.html").render({}), status=500)


class SignOutView(LogoutView):
    """django-allauth's sign-out, which also tells the browser to delete what
    the portal kept on the device: the meeting-day pages and files of the
    service worker, the actions and drafts waiting to be sent, and the worker
    itself. The device may be shared; what was kept holds invitees' names."""

    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
