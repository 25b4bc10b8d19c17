"""The interest form's limit counts the address the connection came from
(REMOTE_ADDR, set by the reverse proxy), never a header the sender chose:
the load test relies on it."""

import pytest

from chapters.views import public
from members.models import Prospect
from tests.factories import ChapterFactory

pytestmark = pytest.mark.django_db


def test_a_forged_x_forwarded_for_does_not_escape_the_interest_form_limit(client):
    chapter = ChapterFactory(country="JO")
    url = f"/en/countries/{chapter.iso2}/interest/"
    statuses = []
    for number in range(public.INTEREST_LIMIT + 1):
        response = client.post(
            url,
            {
                "organisation_name": f"Organisation {number}",
                "kind": "cbo",
                "contact_name": "Huda",
                "email": f"huda{number}@example.org",
                "homepage": "",
            },
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number + 1}",
        )
        statuses.append(response.status_code)
    assert statuses == [302] * public.INTEREST_LIMIT + [429]
    assert Prospect.objects.count() == public.INTEREST_LIMIT
