"""Signing a browser in without the sign-in form: the session of a Django
test client, handed to the browser as its cookie. Journeys that are about
signing in use the form instead."""

from django.conf import settings
from django.test import Client


def sign_in(context, user, live_server) -> None:
    """Sign `user` in for every page of the Playwright browser `context`."""
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
