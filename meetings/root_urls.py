"""Addresses of the meetings app outside the language prefix: the meeting
day's service worker, whose address sets what it may keep (the whole site:
the organiser pages under every language prefix)."""

from django.urls import path

from .views import meeting_day

urlpatterns = [
    path("meeting-day-sw.js", meeting_day.service_worker, name="meeting_day_sw"),
]
