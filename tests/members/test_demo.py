"""The demo chapters' outreach lists cover every kind and stage, with
confirmed members for the Jordanian country page; seeding twice changes
nothing."""

import io

import pytest
from django.core.management import call_command

from members.models import DoNotContact, Membership, Organisation, Prospect
from members.public import FIRST_VIEW

pytestmark = pytest.mark.django_db


def counts():
    return (
        Organisation.objects.count(),
        Prospect.objects.count(),
        Membership.objects.count(),
        DoNotContact.objects.count(),
    )


def test_demo_outreach_covers_every_kind_and_stage_and_is_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first
    prospects = Prospect.objects.select_related("organisation")
    assert {p.organisation.kind for p in prospects} == set(Organisation.Kind.values)
    assert {p.stage for p in prospects} == set(Prospect.Stage.values)
    # Named in each language its chapter works in: Arabic and English in
    # Jordan, Arabic and French in Morocco.
    assert all(
        getattr(p.organisation, f"name_{code}")
        for p in prospects.select_related("chapter")
        for code in p.chapter.language_codes
    )
    confirmed = Membership.objects.listed()
    assert confirmed.filter(chapter__country="JO").count() == 6
    assert all(m.confirmed_at for m in confirmed)
    # The launched Ugandan chapter lists more of one type than its country
    # page shows at first.
    assert (
        confirmed.filter(chapter__country="UG", organisation__kind="cbo").count()
        > FIRST_VIEW
    )
    states = set(Membership.objects.values_list("state", flat=True))
    assert {"candidate", "consulting", "declined"} <= states
