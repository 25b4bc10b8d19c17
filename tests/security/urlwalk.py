"""Every URL pattern the project defines, from the resolver itself, and what
a request to one of them came to (the outcome the permission matrix names)."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import (
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)
from django.urls.resolvers import LocalePrefixPattern
from django.utils import translation

# The Django admin guards every one of its pages with its own staff check
# (admin.site.admin_view) and is tested by Django; only its index stands in
# the matrix for it. Nothing else is left out.
SKIPPED_NAMESPACES = {"admin": "Django's admin; its index is in the matrix"}
KEPT_IN_SKIPPED = {"admin:index"}


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    view: str
    localised: bool
    namespace: str


def _walk(patterns, prefix="", namespace="", localised=False):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = (
                    f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                )
            yield from _walk(
                entry.url_patterns,
                prefix + str(entry.pattern),
                inner,
                localised or isinstance(entry.pattern, LocalePrefixPattern),
            )
        elif isinstance(entry, URLPattern):
            name = entry.name or ""
            full = f"{namespace}:{name}" if namespace and name else name
            yield Route(
                full,
                prefix + str(entry.pattern),
                entry.lookup_str,
                localised,
                namespace.split(":", 1)[0],
            )


def project_routes() -> list[Route]:
    """Named routes of the project, admin left out (see SKIPPED_NAMESPACES).
    An unnamed pattern is an error: the matrix could not name it."""
    routes = []
    for route in _walk(get_resolver().url_patterns):
        if route.namespace in SKIPPED_NAMESPACES and route.name not in KEPT_IN_SKIPPED:
            continue
        routes.append(route)
    return routes


def route_urls(route: Route, kwargs: dict | None) -> list[str]:
    """The concrete address of a route in each language (once when the route
    is outside the language prefix)."""
    languages = [code for code, _name in settings.LANGUAGES]
    urls = []
    for code in languages if route.localised else languages[:1]:
        with translation.override(code):
            urls.append(reverse(route.name, kwargs=kwargs or None))
    return urls


def outcome(response) -> str:
    """200, 403, 404, 405, ... or, for a redirect, where it goes: "login"
    (the sign-in page), "admin_login" (the admin's), or "redirect"."""
    if response.status_code in (301, 302, 303, 307, 308):
        try:
            target = resolve(urlsplit(response["Location"]).path).view_name
        except Resolver404:
            return "redirect"
        return {"account_login": "login", "admin:login": "admin_login"}.get(
            target, "redirect"
        )
    return str(response.status_code)
