"""The Django admin signs in through the portal's own sign-in page, so the
admin has the same rate limits and lockout as every other account
(ACCOUNT_RATE_LIMITS): its own password form, which has none, is never
shown and never checks a password."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def admin_login(request, extra_context=None):
    """Replaces AdminSite.login: staff go where they were going, anyone
    else signed in gets the 404 every other staff page gives them, and a
    visitor is sent to the portal's sign-in with the admin as `next`."""
    target = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    target = target or resolve_url("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect(target)
        # Redirecting would loop: the sign-in page sends a signed-in user
        # straight back to `next`.
        raise Http404
    return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")
