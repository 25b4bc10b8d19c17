"""Two chapters sharing an organisation: who speaks for it where.

Jordan (JO) and Egypt (EG) both have "International Relief" on their
outreach lists. Each chapter's organisers added their own contacts through
their own pages, asked for a membership, and a contact of each confirmed from
the personal link in their e-mail and opened an account from the thank-you
page. Every role here is earned the way people earn it, so each test asks
what the other chapter's people can do with what they really hold: their
organiser pages, their profile pages, their personal links and their
accounts. The answer is always a 404 or a 403, and the database is exactly
as it was (the rows are compared, not a status code alone).
"""

import csv
import io

import pytest
from django.test import Client

from chapters.models import AuditEntry
from members.forms.profile import PUBLIC_FIELDS
from members.models import (
    ConfirmationLink,
    InitialTask,
    Membership,
    MembershipEvent,
    Organisation,
    Prospect,
    Representative,
    Volunteering,
)
from members.services.consent import consent_statement_current
from members.services.membership import membership_withdraw
from members.services.membership_rules import MembershipError
from tests.factories import (
    ChapterFactory,
    OrganiserFactory,
    StaffFactory,
    UserFactory,
)
from tests.members.membership_helpers import links_for
from tests.urls import url

pytestmark = pytest.mark.django_db

# What only Jordan's organisers, and the representatives Jordan linked, see.
JO_SECRETS = ["Amal Haddad", "amal@relief.example", "+962791111111"]
# What only Egypt's organisers, and the representatives Egypt linked, see.
EG_SECRETS = ["Omar Said", "+201001234567"]
OMAR = "omar@relief.example"
EG_ORGANISER = "organiser@eg-chapter.example"


def snapshot() -> dict:
    """Every row an action on an organisation or a membership could touch.
    Refused answers through a personal link are recorded by design
    (MembershipEvent.applied False), so only applied events count."""
    return {
        "organisations": list(Organisation.objects.order_by("pk").values()),
        "representatives": list(Representative.objects.order_by("pk").values()),
        "prospects": list(Prospect.objects.order_by("pk").values()),
        "memberships": list(Membership.objects.order_by("pk").values()),
        "events": list(
            MembershipEvent.objects.filter(applied=True).order_by("pk").values()
        ),
        "links": list(ConfirmationLink.objects.order_by("pk").values()),
        "tasks": list(InitialTask.objects.order_by("pk").values()),
        "volunteering": list(Volunteering.objects.order_by("pk").values()),
        "audit": list(AuditEntry.objects.order_by("pk").values_list("pk", flat=True)),
    }


def profile_data(organisation: Organisation, **changes) -> dict:
    organisation.refresh_from_db()
    data = {name: getattr(organisation, name) or "" for name in PUBLIC_FIELDS}
    data.update(changes)
    return data


def confirm(client: Client, email: str, organisation: Organisation, sent):
    """The contact opens the newest link mailed to them and confirms, leaving
    the public profile as the page shows it."""
    path = links_for(email)["respond"][0]
    with sent():
        return client.post(
            path,
            {
                "action": "confirm",
                "consent": "on",
                "role": "Director",
                "consent_version": consent_statement_current().version,
                **profile_data(organisation),
            },
        )


def add_to_list(client, iso2, contact, **organisation):
    values = {
        "name_en": "International Relief",
        "name_ar": "الإغاثة الدولية",
        "kind": "ingo",
        **organisation,
    }
    return client.post(
        url("members:add", iso2),
        {
            **values,
            **{f"contact-{key}": value for key, value in contact.items()},
            "contact-language": "en",
            "contact-is_primary": "True",
        },
    )


def ask(client, iso2, organisation, sent):
    with sent():
        response = client.post(
            url("members:memberships", iso2),
            {"organisations": [organisation.pk], "remind_after_days": 7},
        )
    assert response.status_code == 302


@pytest.fixture
def two(sent):
    jordan = ChapterFactory(country="JO", name_en="Jordan chapter")
    egypt = ChapterFactory(country="EG", name_en="Egypt chapter")
    people = {
        "jo_organiser": OrganiserFactory(chapter=jordan).user,
        "eg_organiser": OrganiserFactory(
            chapter=egypt, user=UserFactory(email=EG_ORGANISER)
        ).user,
    }
    clients = {name: Client() for name in ("jo", "eg", "amal", "omar")}
    clients["jo"].force_login(people["jo_organiser"])
    clients["eg"].force_login(people["eg_organiser"])

    # Jordan adds the organisation with its director, asks, and she confirms
    # from her e-mail and opens an account.
    add_to_list(
        clients["jo"],
        "jo",
        {
            "name": "Amal Haddad",
            "email": "amal@relief.example",
            "phone": "+962791111111",
        },
    )
    organisation = Organisation.objects.get(name_en="International Relief")
    ask(clients["jo"], "jo", organisation, sent)
    assert (
        confirm(clients["amal"], "amal@relief.example", organisation, sent).status_code
        == 302
    )
    assert clients["amal"].post(url("members:membership_done")).status_code == 302
    clients["jo"].post(url("members:tasks", "jo"))

    # Egypt puts the same organisation on its list (the organiser chose
    # "merge" in the duplicate dialog) with its own contact, Omar.
    response = add_to_list(
        clients["eg"],
        "eg",
        {"name": "Omar Said", "email": OMAR, "phone": "+201001234567"},
        decision=f"merge-{organisation.pk}",
    )
    assert response.status_code == 302
    # Jordan knows Omar's address too, as an alternate contact of its own.
    jo_prospect = Prospect.objects.get(chapter=jordan, organisation=organisation)
    clients["jo"].post(
        url("members:representative_add", "jo", jo_prospect.pk),
        {"name": "O. Said", "email": OMAR, "language": "en", "is_primary": "False"},
    )
    ask(clients["eg"], "eg", organisation, sent)
    assert confirm(clients["omar"], OMAR, organisation, sent).status_code == 302
    assert clients["omar"].post(url("members:membership_done")).status_code == 302
    clients["eg"].post(url("members:tasks", "eg"))

    people["amal"] = Representative.objects.get(email="amal@relief.example").user
    people["omar"] = Representative.objects.get(chapter=egypt, email=OMAR).user
    assert people["amal"] and people["omar"]
    return {
        "jo": jordan,
        "eg": egypt,
        "organisation": organisation,
        "jo_membership": Membership.objects.get(chapter=jordan),
        "eg_membership": Membership.objects.get(chapter=egypt),
        "jo_prospect": jo_prospect,
        "eg_prospect": Prospect.objects.get(chapter=egypt, organisation=organisation),
        "profile": url("members:organisation_profile", organisation.pk),
        "people": people,
        "clients": clients,
    }


def listed_on_country_page(client, iso2, name="International Relief") -> bool:
    page = client.get(url("chapters:country", iso2)).content.decode()
    rows = csv.reader(
        io.StringIO(client.get(url("chapters:members_csv", iso2)).content.decode())
    )
    api = client.get(url("api:country", iso2.upper())).content.decode()
    in_csv = any(name in row for row in rows)
    assert (name in page) == in_csv == (name in api), (name in page, in_csv)
    return in_csv


def test_the_world_is_built_as_people_build_it(two):
    """Both chapters list the organisation, each representative's account
    is linked to their own chapter's row only."""
    assert two["jo_membership"].state == two["eg_membership"].state == "confirmed"
    linked = Representative.objects.filter(user__isnull=False)
    assert {(row.chapter.country.code, row.email) for row in linked} == {
        ("JO", "amal@relief.example"),
        ("EG", OMAR),
    }
    assert listed_on_country_page(Client(), "jo")
    assert listed_on_country_page(Client(), "eg")


# Representative profile pages --------------------------------------------------


def test_a_representative_sees_only_the_contacts_of_the_chapter_that_linked_them(two):
    omar = two["clients"]["omar"].get(two["profile"]).content.decode()
    for secret in JO_SECRETS:
        assert secret not in omar, secret
    for own in EG_SECRETS:
        assert own in omar, own
    assert "O. Said" not in omar  # Jordan's row, even with Omar's own address
    amal = two["clients"]["amal"].get(two["profile"]).content.decode()
    assert "Amal Haddad" in amal and "O. Said" in amal
    for secret in EG_SECRETS:
        assert secret not in amal, secret


def test_opening_an_account_links_only_the_row_of_the_chapter_whose_link_was_used(
    two,
):
    jordan_row = Representative.objects.get(chapter=two["jo"], email=OMAR)
    assert jordan_row.user is None
    assert not Representative.objects.filter(
        chapter=two["jo"], user=two["people"]["omar"]
    ).exists()


def test_another_chapters_representative_cannot_withdraw_this_chapters_membership(
    two,
):
    before = snapshot()
    client = two["clients"]["omar"]
    jo = two["jo_membership"]
    response = client.post(
        url("members:profile_withdraw", two["organisation"].pk, jo.pk)
    )
    assert response.status_code == 404
    with pytest.raises(MembershipError):
        membership_withdraw(membership=jo, actor=two["people"]["omar"])
    assert snapshot() == before
    assert listed_on_country_page(Client(), "jo")
    profile = client.get(two["profile"]).content.decode()
    # Literal fragment: no link to it in any language or form.
    assert f"memberships/{jo.pk}/withdraw/" not in profile


def test_a_representative_withdraws_their_own_chapters_membership_only(two):
    client = two["clients"]["omar"]
    eg = two["eg_membership"]
    response = client.post(
        url("members:profile_withdraw", two["organisation"].pk, eg.pk)
    )
    assert response.status_code == 302
    eg.refresh_from_db()
    two["jo_membership"].refresh_from_db()
    assert (eg.state, two["jo_membership"].state) == ("withdrawn", "confirmed")
    assert not listed_on_country_page(Client(), "eg")
    assert listed_on_country_page(Client(), "jo")


def test_another_chapters_representative_cannot_volunteer_for_this_chapters_tasks(
    two,
):
    task = InitialTask.objects.filter(chapter=two["jo"]).first()
    before = snapshot()
    client = two["clients"]["omar"]
    for data in ({}, {"volunteer": "no"}):
        response = client.post(
            url("members:profile_volunteer", two["organisation"].pk, task.pk), data
        )
        assert response.status_code == 404
    assert snapshot() == before
    profile = client.get(two["profile"]).content.decode()
    # Literal fragment: no link to it in any language or form.
    assert f"tasks/{task.pk}/volunteer/" not in profile


def test_own_contact_details_change_only_the_rows_linked_to_the_account(two):
    client = two["clients"]["omar"]
    jordan_row = Representative.objects.get(chapter=two["jo"], email=OMAR)
    response = client.post(
        url("members:profile_contact", two["organisation"].pk),
        {"name": "Omar Said Ali", "phone": "", "role": "Chair", "language": "ar"},
    )
    assert response.status_code == 302
    egypt_row = Representative.objects.get(chapter=two["eg"], email=OMAR)
    assert egypt_row.name == "Omar Said Ali"
    assert Representative.objects.get(pk=jordan_row.pk).name == "O. Said"


def test_a_representative_cannot_rewrite_a_profile_another_chapter_lists(two):
    before = snapshot()
    for person in ("omar", "amal"):
        response = two["clients"][person].post(
            two["profile"], profile_data(two["organisation"], name_en="Renamed")
        )
        assert response.status_code == 403
        assert "is a listed member of" in response.content.decode()
    assert snapshot() == before
    assert listed_on_country_page(Client(), "jo")


def test_a_representative_edits_the_profile_when_only_their_chapter_lists_it(two):
    client = two["clients"]["omar"]
    eg = two["eg_membership"]
    client.post(url("members:profile_withdraw", two["organisation"].pk, eg.pk))
    # Egypt no longer lists it: its page is Jordan's alone, so Omar (Egypt)
    # may not change it, and Amal (Jordan) may.
    response = client.post(
        two["profile"], profile_data(two["organisation"], name_en="Renamed")
    )
    assert response.status_code == 403
    response = two["clients"]["amal"].post(
        two["profile"], profile_data(two["organisation"], name_en="Relief Jordan")
    )
    assert response.status_code == 302
    assert listed_on_country_page(Client(), "jo", "Relief Jordan")
    entry = AuditEntry.objects.get(action="organisation.update")
    assert entry.chapter == two["jo"] and entry.actor == two["people"]["amal"]


# Organiser pages ----------------------------------------------------------------


def test_another_chapters_organiser_gets_404_on_this_chapters_pages(two):
    before = snapshot()
    client = two["clients"]["eg"]
    prospect = two["jo_prospect"]
    amal = Representative.objects.get(email="amal@relief.example")
    task = InitialTask.objects.filter(chapter=two["jo"]).first()
    pages = [
        url("members:prospect", "jo", prospect.pk),
        url("members:organisation_edit", "jo", prospect.pk),
        url("members:representative_add", "jo", prospect.pk),
        url("members:representative_edit", "jo", prospect.pk, amal.pk),
        url("members:representative_remove", "jo", prospect.pk, amal.pk),
        url("members:representative_opt_out", "jo", prospect.pk, amal.pk),
        url("members:membership_detail", "jo", two["jo_membership"].pk),
        url("members:task_edit", "jo", task.pk),
    ]
    for path in pages:
        assert client.get(path).status_code == 404, path
        data = {"name_en": "Renamed", "kind": "ngo", "name": "X", "do": "revoke"}
        assert client.post(path, data).status_code == 404, path
    # Egypt's own pages never name Jordan's membership or contacts.
    eg_detail = client.get(
        url("members:membership_detail", "eg", two["eg_membership"].pk)
    )
    assert eg_detail.status_code == 200
    eg_outreach = client.get(url("members:prospect", "eg", two["eg_prospect"].pk))
    for secret in JO_SECRETS:
        assert secret not in eg_outreach.content.decode(), secret
    assert snapshot() == before


def test_another_chapters_organiser_cannot_rename_an_organisation_this_chapter_lists(
    two,
):
    """Editing the shared organisation from Egypt's own list would rename it
    on Jordan's page: refused, with the reason, and nothing changes."""
    client = two["clients"]["eg"]
    before = snapshot()
    response = client.post(
        url("members:organisation_edit", "eg", two["eg_prospect"].pk),
        profile_data(two["organisation"], name_en="Renamed by Egypt"),
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "is a listed member of Jordan chapter" in html
    assert snapshot() == before
    assert listed_on_country_page(Client(), "jo")


def test_an_edit_allowed_everywhere_is_audited_in_every_listing_chapter(two):
    staff = Client()
    staff.force_login(StaffFactory())
    response = staff.post(
        url("members:organisation_edit", "eg", two["eg_prospect"].pk),
        profile_data(two["organisation"], name_en="Relief International"),
    )
    assert response.status_code == 302
    entries = AuditEntry.objects.filter(action="organisation.update")
    assert {entry.chapter for entry in entries} == {two["jo"], two["eg"]}
    assert listed_on_country_page(Client(), "jo", "Relief International")
    # Each chapter's organisers read it in their own trail.
    trail = two["clients"]["jo"].get(url("chapters:audit", "jo")).content.decode()
    assert "Relief International" in trail


def test_merging_into_an_organisation_another_chapter_lists_keeps_its_profile(
    two, sent
):
    organisation = two["organisation"]
    chapter = ChapterFactory(country="TN", name_en="Tunisia chapter")
    client = Client()
    client.force_login(OrganiserFactory(chapter=chapter).user)
    before = Organisation.objects.values().get(pk=organisation.pk)
    response = add_to_list(
        client,
        "tn",
        {"name": "Someone"},
        decision=f"merge-{organisation.pk}",
        description_en="Written by Tunisia",
        city_en="Tunis",
    )
    assert response.status_code == 302
    assert Organisation.objects.values().get(pk=organisation.pk) == before
    assert Prospect.objects.filter(chapter=chapter, organisation=organisation).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Its public profile was kept as it was" in page


# Personal links -------------------------------------------------------------------


def test_a_link_of_one_chapter_opens_nothing_of_the_other(two):
    before = snapshot()
    _path, _membership, token = links_for(OMAR)["withdraw"]
    jo_pk = two["jo_membership"].pk
    client = two["clients"]["omar"]
    for path in (
        url("members:membership_withdraw", jo_pk, token),
        url("members:membership_answer", jo_pk, token),
    ):
        assert client.get(path).status_code == 404
        assert client.post(path).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("signed_in", [True, False])
def test_an_organiser_cannot_confirm_through_a_link_sent_to_their_own_address(
    two, sent, signed_in
):
    """The organiser adds himself as a contact of an organisation on his own
    list, asks for its membership and opens the link mailed to him."""
    client = two["clients"]["eg"]
    add_to_list(
        client,
        "eg",
        {"name": "Me", "email": EG_ORGANISER},
        name_en="Local Youth Group",
        name_ar="مجموعة الشباب المحلية",
        kind="cbo",
    )
    organisation = Organisation.objects.get(name_en="Local Youth Group")
    ask(client, "eg", organisation, sent)
    if not signed_in:
        client = Client()
    path = links_for(EG_ORGANISER)["respond"][0]
    page = client.get(path).content.decode()
    assert 'data-testid="organiser-consent"' in page
    before = snapshot()
    response = confirm(client, EG_ORGANISER, organisation, sent)
    assert response.status_code == 409
    assert "Organisers cannot confirm" in response.content.decode()
    assert snapshot() == before
    refused = MembershipEvent.objects.get(applied=False)
    assert refused.note == "organiser consent refused"
    assert not listed_on_country_page(Client(), "eg", "Local Youth Group")
