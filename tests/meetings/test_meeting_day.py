"""The meeting day as organisers run it: a meeting created on the organisers'
page (with the seed agenda), invitations sent and answered through personal
links, everyone who comes checked in, and one number of organisations
present on the dashboard, in the funnel, in the minutes and on the
membership board; the minutes go to those who came."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from meetings import selectors
from meetings.models import Invitation, Meeting
from meetings.services.invitations import invitation_batch_create
from members.models import Organisation, Prospect
from tests.factories import ProspectFactory, RepresentativeFactory
from tests.meetings.builders import meeting_form, recipients

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://[^/\s]+/(?:ar|en)/invitation/([A-Za-z0-9_\-]+)/")


def _meeting_form(start):
    return meeting_form(start)


@pytest.fixture
def day(client, organiser, organiser_client, chapter, capture_on_commit):
    """A meeting with four invitees from the outreach list: one accepts and
    comes, one never answers and comes, one accepts and stays away, one
    declines; and a walk-in from an organisation not yet on the list."""
    start = timezone.localtime(
        timezone.now() + timedelta(days=20), ZoneInfo("Asia/Amman")
    ).replace(hour=10, minute=0, second=0, microsecond=0)
    organiser_client.post("/en/manage/jo/meetings/new/", _meeting_form(start))
    meeting = Meeting.objects.get()
    assert meeting.agenda_items.count() == 7  # the seed agenda
    people = {}
    for key, language in (
        ("came", "ar"),
        ("unanswered", "en"),
        ("no_show", "en"),
        ("declined", "ar"),
    ):
        prospect = ProspectFactory(chapter=chapter, stage="identified")
        people[key] = RepresentativeFactory(
            organisation=prospect.organisation,
            chapter=chapter,
            language=language,
            name=f"Person {key}",
        )
    with capture_on_commit(execute=True):
        invitation_batch_create(
            actor=organiser,
            meeting=meeting,
            recipients=recipients(people.values()),
        )
    tokens = {}
    for message in mail.outbox:
        tokens[message.to[0]] = LINK.search(message.body).group(1)
    for key, answer in (
        ("came", "accept"),
        ("no_show", "accept"),
        ("declined", "decline"),
    ):
        client.post(f"/en/invitation/{tokens[people[key].email]}/", {"answer": answer})
    invitations = {
        key: Invitation.objects.get(meeting=meeting, email=rep.email)
        for key, rep in people.items()
    }
    assert invitations["unanswered"].status == "sent"
    mail.outbox.clear()
    return meeting, invitations


@pytest.fixture
def capture_on_commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def test_every_page_counts_the_same_organisations_present(
    organiser, organiser_client, chapter, day, capture_on_commit
):
    meeting, invitations = day
    url = f"/en/manage/jo/meetings/{meeting.pk}/checkin/"
    with time_machine.travel(meeting.starts_at + timedelta(minutes=10)):
        organiser_client.force_login(organiser)  # weeks later: a new session
        page = organiser_client.get(url).content.decode()
        for invitation in invitations.values():
            assert invitation.name in page
        for key in ("came", "unanswered"):
            organiser_client.post(
                url, {"action": "check_in", "invitation": invitations[key].pk}
            )
        organiser_client.post(
            url,
            {
                "action": "walk_in",
                "name": "Sami Nasser",
                "organisation_name": "Karak Youth Forum",
                "new_organisation": "on",
                "email": "sami@karak.example",
            },
        )
        # The unanswered invitation keeps its (lack of) answer.
        invitations["unanswered"].refresh_from_db()
        assert invitations["unanswered"].status == "sent"
        organiser_client.post(
            f"/en/manage/jo/meetings/{meeting.pk}/status/", {"action": "held"}
        )
    meeting.refresh_from_db()
    assert meeting.status == "held"
    # The walk-in's organisation joined the outreach list.
    new = Organisation.objects.get(name_en="Karak Youth Forum")
    assert Prospect.objects.get(chapter=chapter, organisation=new).stage == "attended"

    present = 3
    assert selectors.attended_organisation_count(meeting=meeting) == present
    dashboard = organiser_client.get("/en/manage/jo/").context
    funnel = {step["key"]: step["count"] for step in dashboard["funnel_steps"]}
    assert funnel["attended"] == present
    assert dashboard["first_meeting"]["counted"] == present
    assert dashboard["first_meeting"]["figures"]["attended_organisations"] == present
    figure = organiser_client.get(
        "/en/manage/jo/figure/", {"figure": f"meeting:{meeting.pk}:attended"}
    )
    assert figure.status_code == 200 and "Karak Youth Forum" in figure.content.decode()
    minutes = organiser_client.get(f"/en/manage/jo/meetings/{meeting.pk}/minutes/")
    assert len(minutes.context["attendance"]) == present
    board = organiser_client.get("/en/manage/jo/membership/").context
    ticked = [p for p in board["candidates"] if p.selected]
    assert len(ticked) == present
    assert invitations["no_show"].organisation_id not in {
        p.organisation_id for p in ticked
    }


def test_the_minutes_go_to_those_who_came_and_to_the_no_shows_ticked(
    organiser, organiser_client, day, capture_on_commit
):
    meeting, invitations = day
    with time_machine.travel(meeting.starts_at + timedelta(minutes=10)):
        organiser_client.force_login(organiser)  # weeks later: a new session
        url = f"/en/manage/jo/meetings/{meeting.pk}/checkin/"
        for key in ("came", "unanswered"):
            organiser_client.post(
                url, {"action": "check_in", "invitation": invitations[key].pk}
            )
        organiser_client.post(
            url,
            {
                "action": "walk_in",
                "name": "Sami Nasser",
                "organisation_name": "Karak Youth Forum",
                "new_organisation": "on",
            },
        )
        # A second walk-in leaves an address and asks for English.
        organiser_client.post(
            url,
            {
                "action": "walk_in",
                "name": "Lina Haddad",
                "organisation_name": "Madaba Women's Circle",
                "new_organisation": "on",
                "email": "Lina@Madaba.example",
                "language": "en",
            },
        )
    with time_machine.travel(meeting.ends_at + timedelta(hours=1)):
        organiser_client.force_login(organiser)
        minutes_url = f"/en/manage/jo/meetings/{meeting.pk}/minutes/"
        page = organiser_client.get(minutes_url).content.decode()
        recipients = page[page.index('data-testid="minutes-recipients"') :]
        recipients = recipients[: recipients.index("</ul>")]
        assert invitations["came"].name in recipients
        assert invitations["unanswered"].name in recipients
        assert invitations["no_show"].name not in recipients
        assert f'name="also" value="{invitations["no_show"].pk}"' in page
        assert f'value="{invitations["declined"].pk}"' not in page
        assert "Lina Haddad" in recipients
        assert "1 walk-in left no e-mail address" in page
        with capture_on_commit(execute=True):
            organiser_client.post(minutes_url, {"action": "publish"})
        sent = {message.to[0]: message for message in mail.outbox}
        assert set(sent) == {
            invitations["came"].email,
            invitations["unanswered"].email,
            "lina@madaba.example",
        }
        assert "/ar/invitation/" in sent[invitations["came"].email].body
        assert "/en/invitation/" in sent[invitations["unanswered"].email].body
        walk_in = sent["lina@madaba.example"]
        assert walk_in.subject.startswith("Minutes:")
        link = next(w for w in walk_in.body.split() if "/en/invitation/" in w)
        minutes_path = link.split("127.0.0.1:8000", 1)[-1]
        opened = organiser_client.get(minutes_path)
        assert opened.status_code == 200
        assert "Madaba Women" in opened.content.decode()
        # Her personal page thanks her and asks for no answer.
        personal = organiser_client.get(minutes_path.removesuffix("minutes/"))
        assert "thank you for taking part" in personal.content.decode()
        assert "Your answer" not in personal.content.decode()
        with capture_on_commit(execute=True):
            organiser_client.post(
                minutes_url,
                {"action": "publish", "also": [invitations["no_show"].pk]},
            )
            organiser_client.post(minutes_url, {"action": "publish"})
    assert [m.to[0] for m in mail.outbox].count(invitations["no_show"].email) == 1
    assert len(mail.outbox) == 4
