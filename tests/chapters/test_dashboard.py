"""The organiser's dashboard (the chapter overview): the funnel against a
known chapter, the seed's outcomes, the next meeting, membership, the lists
behind each figure, the chart in both directions, and who may see it."""

import io
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from chapters.dashboard import funnel_chart
from chapters.models import Chapter
from meetings.models import Attendance, Invitation, Material, MaterialOpening
from members.models import InitialTask, Membership, Organisation, Volunteering
from tests.factories import (
    ChapterFactory,
    InvitationFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    OrganiserFactory,
    ProspectFactory,
    RepresentativeFactory,
    StaffFactory,
    UserFactory,
)
from tests.urls import url

pytestmark = pytest.mark.django_db

KINDS = ["ngo", "ngo", "cbo", "ingo", "network", "network", "academic"]
KINDS += ["academic", "think_tank", "private"]


@dataclass
class KnownChapter:
    chapter: object
    organiser: object
    organisations: list
    held: object
    upcoming: object


def known_chapter() -> KnownChapter:
    """Ten organisations on Jordan's outreach list, a held meeting and an
    upcoming one, with invitations in every status:

    org0 accepted the held meeting, attended, confirmed, volunteered; also
         accepted the upcoming one and opened its material beforehand
    org1 accepted the held meeting, attended; still consulting, overdue
    org2 declined; org3 opened (and opened the upcoming invitation too)
    org4 sent; org5 bounced; org6 failed (upcoming); org7 queued (upcoming)
    org8, org9 not invited (org8 is invited by another chapter)"""
    now = timezone.now()
    chapter = ChapterFactory(country="JO", time_zone="Asia/Amman")
    organiser = OrganiserFactory(chapter=chapter).user
    organisations = [
        ProspectFactory(
            chapter=chapter, organisation=OrganisationFactory(kind=kind)
        ).organisation
        for kind in KINDS
    ]
    o = organisations
    held = MeetingFactory(
        chapter=chapter,
        starts_at=now - timedelta(days=10),
        ends_at=now - timedelta(days=10) + timedelta(hours=3),
        status="held",
        title_en="First session",
        title_ar="الجلسة الأولى",
    )
    upcoming = MeetingFactory(
        chapter=chapter,
        starts_at=now + timedelta(days=10),
        ends_at=now + timedelta(days=10, hours=3),
        status="open",
        title_en="Second session",
        title_ar="الجلسة الثانية",
        target_min=3,
        target_max=6,
    )

    def invite(meeting, organisation, status, **extra):
        return InvitationFactory(
            meeting=meeting, organisation=organisation, status=status, **extra
        )

    for organisation in o[:2]:
        invitation = invite(held, organisation, "accepted", opened_at=now)
        Attendance.objects.create(
            meeting=held,
            invitation=invitation,
            organisation=organisation,
            name=invitation.name,
            organisation_name=invitation.organisation_name,
        )
    invite(held, o[2], "declined", opened_at=now)
    invite(held, o[3], "opened", opened_at=now)
    invite(held, o[4], "sent")
    invite(held, o[5], "bounced")
    invite(upcoming, o[6], "failed")
    invite(upcoming, o[7], "queued")
    accepted = invite(upcoming, o[0], "accepted", opened_at=now)
    invite(upcoming, o[3], "opened", opened_at=now)
    material = Material.objects.create(
        chapter=chapter, meeting=upcoming, title="Concept note", url="https://x.org"
    )
    MaterialOpening.objects.create(material=material, invitation=accepted)

    MembershipFactory(
        chapter=chapter, organisation=o[0], state="confirmed", confirmed_at=now
    )
    MembershipFactory(
        chapter=chapter,
        organisation=o[1],
        state="consulting",
        consulting_since=now - timedelta(days=9),
        remind_at=now - timedelta(days=2),
    )
    task = InitialTask.objects.create(
        chapter=chapter, title_en="Draft the charter", title_ar="صياغة الميثاق"
    )
    InitialTask.objects.create(chapter=chapter, title_en="Plan a visit", title_ar="")
    Volunteering.objects.create(task=task, organisation=o[0])

    # Elsewhere: must not count.
    other = ChapterFactory(country="EG")
    InvitationFactory(meeting=MeetingFactory(chapter=other), organisation=o[8])
    ProspectFactory(chapter=other)
    return KnownChapter(chapter, organiser, organisations, held, upcoming)


@pytest.fixture
def known():
    return known_chapter()


@pytest.fixture
def organiser_client(client, known):
    client.force_login(known.organiser)
    return client


def overview(client, language="en"):
    return client.get(url("chapters:manage", "jo", language=language))


def test_the_funnel_counts_organisations_at_each_step(organiser_client):
    response = overview(organiser_client)
    assert response.status_code == 200
    counts = {step["key"]: step["count"] for step in response.context["funnel_steps"]}
    assert counts == {
        "identified": 10,
        "invited": 8,
        "delivered": 5,
        "opened": 4,
        "accepted": 2,
        "attended": 2,
        "confirmed": 1,
        "volunteered": 1,
    }
    assert response.context["funnel_bounced"]["count"] == 2


def test_each_funnel_figure_links_to_exactly_the_organisations_behind_it(
    organiser_client,
):
    context = overview(organiser_client).context
    for step in [*context["funnel_steps"], context["funnel_bounced"]]:
        page = organiser_client.get(step["url"])
        assert page.status_code == 200, step["url"]
        assert page.context["page_obj"].paginator.count == step["count"], step["url"]


def test_the_accepted_figure_names_the_organisations_that_accepted(
    organiser_client, known
):
    page = organiser_client.get(
        url("chapters:figure", "jo") + "?figure=funnel:accepted"
    )
    shown = {o.pk for o in page.context["organisations"]}
    assert shown == {known.organisations[0].pk, known.organisations[1].pk}
    body = page.content.decode()
    for organisation in page.context["organisations"]:
        assert url("members:prospect", "jo", organisation.prospect_pk) in body
    assert known.organisations[0].name_en in body


def test_coverage_shows_each_kind_the_seed_names(organiser_client):
    coverage = overview(organiser_client).context["coverage"]
    groups = {group["key"]: group for group in coverage["groups"]}
    assert groups["civil_society"]["listed"] == 4
    assert groups["networks"]["listed"] == 2
    assert groups["academics"]["listed"] == 2
    assert groups["think_tanks"]["listed"] == 1
    page = organiser_client.get(groups["networks"]["listed_url"])
    assert page.context["page_obj"].paginator.count == 2


def test_the_first_meeting_counts_organisations_present_against_ten_to_twenty(
    organiser_client,
):
    block = overview(organiser_client).context["first_meeting"]
    assert block["held"] is True
    assert block["counted"] == 2
    assert (block["figures"]["target_min"], block["figures"]["target_max"]) == (
        10,
        20,
    )
    assert block["in_target"] is False


def test_the_next_meeting_shows_its_answers_against_its_target(organiser_client):
    response = overview(organiser_client)
    block = response.context["next_meeting"]
    figures = block["figures"]
    assert block["meeting"].title_en == "Second session"
    assert figures["invited"] == 4
    assert figures["accepted"] == 1
    assert figures["waiting"] == 1
    assert figures["queued"] == 1
    assert figures["bounced"] == 1
    assert figures["opened_materials"] == 1
    assert figures["accepted_organisations"] == 1
    page = organiser_client.get(block["urls"]["opened_materials"])
    assert page.context["page_obj"].paginator.count == 1
    assert 'data-testid="next-meeting-target"' in response.content.decode()


def test_membership_figures_count_overdue_consultations(organiser_client, known):
    response = overview(organiser_client)
    membership = response.context["membership"]
    assert membership["confirmed"] == 1
    assert membership["consulting"] == 1
    assert membership["overdue"] == 1
    page = organiser_client.get(response.context["membership_urls"]["overdue"])
    assert [o.pk for o in page.context["organisations"]] == [known.organisations[1].pk]


def test_what_needs_you_lists_overdue_tasks_and_untranslated_content(
    organiser_client,
):
    response = overview(organiser_client)
    tasks = response.context["tasks"]
    assert tasks["without_volunteers"] == 1
    assert tasks["untranslated"] == 1
    assert [t.title_en for t in response.context["tasks_without_volunteers"]] == [
        "Plan a visit"
    ]
    body = response.content.decode()
    todo = body.split('data-testid="todo"')[1].split('id="funnel-heading"')[0]
    assert "past the reminder date" in todo
    assert "no volunteer" in todo
    assert "1 invitee of the next meeting has not answered yet." in todo
    assert "initial task has its title in one language only" in todo


def test_an_empty_chapter_has_a_dashboard_with_nothing_waiting(client):
    chapter = ChapterFactory(country="TN", name_en="Tunisia", name_ar="تونس")
    client.force_login(OrganiserFactory(chapter=chapter).user)
    response = client.get(url("chapters:manage", "tn"))
    assert response.status_code == 200
    assert response.context["first_meeting"] is None
    assert response.context["next_meeting"] is None
    assert "Nothing is waiting for you right now." in response.content.decode()


def test_the_arabic_dashboard_draws_the_chart_right_to_left(organiser_client):
    body = overview(organiser_client, "ar").content.decode()
    chart = body.split('data-testid="funnel-chart"')[1].split("</svg>")[0]
    assert 'direction="rtl"' in chart
    assert "<rect" in chart


def test_the_chart_mirrors_bars_and_labels_in_right_to_left():
    steps = [
        {"label": "A", "count": 10, "url": "/a"},
        {"label": "B", "count": 5, "url": "/b"},
        {"label": "C", "count": 0, "url": "/c"},
    ]
    ltr = funnel_chart(steps, rtl=False)
    rtl = funnel_chart(steps, rtl=True)
    width = ltr["width"]
    for left, right in zip(ltr["bars"], rtl["bars"], strict=True):
        assert left.bar_width == right.bar_width
        # The bar's far edge in one is the mirror of its start in the other.
        assert right.bar_x + right.bar_width == width - left.bar_x
        assert left.label_x < left.bar_x and right.label_x > right.bar_x
    assert ltr["bars"][0].bar_width == 2 * ltr["bars"][1].bar_width
    assert ltr["bars"][2].bar_width == 0


def test_a_figure_that_does_not_exist_is_a_404(organiser_client, known):
    for key in [
        "funnel:everything",
        "coverage:bakers:listed",
        "membership:nope",
        "meeting:abc:accepted",
        "meeting:999999:accepted",
        "nonsense",
    ]:
        response = organiser_client.get(url("chapters:figure", "jo") + f"?figure={key}")
        assert response.status_code == 404, key


def test_a_meeting_of_another_chapter_is_not_a_figure_here(organiser_client):
    foreign = MeetingFactory(chapter=ChapterFactory(country="MA"))
    response = organiser_client.get(
        url("chapters:figure", "jo") + f"?figure=meeting:{foreign.pk}:invited"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path", [url("chapters:manage", "jo"), url("chapters:figure", "jo")]
)
def test_the_organiser_of_another_chapter_gets_404(client, known, path):
    egypt = Chapter.objects.get(country="EG")
    client.force_login(OrganiserFactory(chapter=egypt).user)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path", [url("chapters:manage", "jo"), url("chapters:figure", "jo")]
)
def test_anonymous_visitors_are_sent_to_sign_in(client, known, path):
    response = client.get(path)
    assert response.status_code == 302
    assert url("account_login") in response["Location"]


@pytest.mark.parametrize(
    "path", [url("chapters:manage", "jo"), url("chapters:figure", "jo")]
)
def test_a_representative_of_a_member_gets_404(client, known, path):
    user = UserFactory()
    RepresentativeFactory(organisation=known.organisations[0], user=user)
    client.force_login(user)
    assert client.get(path).status_code == 404


def test_staff_see_any_chapters_dashboard(client, known):
    client.force_login(StaffFactory())
    assert client.get(url("chapters:manage", "jo")).status_code == 200


def test_withdrawn_membership_is_its_own_figure(organiser_client, known):
    Membership.objects.filter(organisation=known.organisations[0]).update(
        state="withdrawn"
    )
    response = overview(organiser_client)
    assert response.context["membership"]["withdrawn"] == 1
    assert response.context["member_count"] == 0


def test_invitations_without_an_organisation_do_not_break_the_funnel(
    organiser_client, known
):
    InvitationFactory(meeting=known.upcoming, organisation=None, status="accepted")
    response = overview(organiser_client)
    assert response.status_code == 200
    assert response.context["next_meeting"]["figures"]["accepted"] == 2
    assert Organisation.objects.count() >= 10
    assert Invitation.objects.filter(organisation__isnull=True).count() == 1


def test_the_demo_dashboard_shows_a_funnel_and_a_trail_and_reseeding_keeps_it(
    client, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from chapters.demo import ORGANISER_EMAIL
    from chapters.models import AuditEntry
    from tests.meetings.conftest import ensure_default_agenda

    ensure_default_agenda()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("seed_demo", stdout=io.StringIO())
        told = AuditEntry.objects.filter(after___demo=True).count()
        assert told > 20
    assert AuditEntry.objects.filter(after___demo=True).count() == told
    client.force_login(get_user_model().objects.get(email=ORGANISER_EMAIL))
    response = overview(client)
    counts = {step["key"]: step["count"] for step in response.context["funnel_steps"]}
    assert all(counts.values()), counts
    assert response.context["next_meeting"]["figures"]["opened_materials"] > 0
    trail = client.get(url("chapters:audit", "jo") + "?action=membership.confirm")
    assert trail.context["page_obj"].paginator.count >= 6
    assert "_demo" not in trail.content.decode()
