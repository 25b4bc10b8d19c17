"""Addresses outside the language prefix: the open-data API, sitemap.xml and
robots.txt."""

from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from . import api, robots
from .sitemaps import sitemaps

api_patterns = (
    [
        path("openapi.yaml", api.openapi_description, name="openapi"),
        path("countries/", api.country_list, name="countries"),
        path("countries/<str:iso2>/", api.country_detail, name="country"),
    ],
    "api",
)

urlpatterns = [
    path("api/v1/", include(api_patterns)),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", robots.robots_txt, name="robots"),
]
