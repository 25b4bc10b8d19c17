"""What people typed never reorders the page around it: on the Arabic pages,
every text node that holds a typed value (an organisation's or a person's
name, a meeting's title, notes, ideas, decisions, answers, a venue, a file
name) sits inside an element that isolates it, so an English title ending
in a full stop reads "The Irbid network visit." and not ".The Irbid network
visit", and an English name cannot drag the Arabic punctuation beside it.

An element isolates when it is a <bdi>, or when it, or an inline ancestor
up to the nearest block, carries a `dir` attribute (`dir="auto"` from the
`{% translated %}` and `{% written %}` tags, `|isolate`, `dir="ltr"` for
addresses). A textarea's text and an option's are a form control's: the
stylesheet lets them take the direction of what they hold
(`unicode-bidi: plaintext`).

The data is made as organisers and invitees make it: the organisation put
on the outreach list, the meeting created from the organisers' form,
invited, answered through the personal link, checked in, noted, with ideas
and decisions, the membership asked and confirmed. The values are written
in English with a trailing full stop, the case the review caught. The same
pages write dates as Arabic writes them, in the chapter's zone."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone, translation
from lxml import html as lxml_html

from chapters import times
from meetings.models import Meeting
from meetings.services.agenda import agenda_item_add
from meetings.services.attendance import attendance_check_in
from meetings.services.decisions import decision_add
from meetings.services.ideas import idea_add, idea_moderate, idea_submit
from meetings.services.invitations import invitation_answer, invitation_link_new
from meetings.services.materials import material_add
from meetings.services.minutes import minutes_publish
from meetings.services.notes import note_save
from members.services import initial_tasks, membership, organisations
from members.services.consent import consent_statement_current
from tests.factories import ChapterFactory, OrganiserFactory, UserFactory
from tests.meetings.builders import invite, meeting_form
from tests.meetings.conftest import ensure_default_agenda
from tests.members.membership_helpers import link_of
from tests.urls import url

pytestmark = pytest.mark.django_db

# What people typed, each with a word no interface string has, so a text
# node holding it is found by that word.
ORGANISATION = "Olive Valley Network."
ACRONYM = "OVNX"
CITY = "Mafraq."
DESCRIPTION = "Youth groups of Madaba."
REPRESENTATIVE = "Sam Rivers Jr."
ROLE = "Director of Azraq programmes."
ORGANISER = ("Lina", "Stonebridge")
MEETING = "The Irbid network visit."
VENUE = "Hall 3, Quarry Road.\nSecond floor."
AGENDA_ITEM = "Review of the Quarry maps."
PRESENTER = "Dr. Lee Okafor."
ANSWER = {
    "attendees": "Nour Tamimi and Sam.",
    "needs": "Wheelchair access.",
    "note": "See you at the next meeting.",
}
NOTE = "The Irbid network will visit the Quarry farms."
IDEA = "Share the Quarry survey data."
INVITEE_IDEA = "Could members co-host the Jerash fair?"
DECISION = "Draft the charter before Ramadan."
MATERIAL = "Charter draft v2.pdf"
TASK = "Write the Jerash brief."
INTRODUCTION = "We meet monthly in Zarqa."

MARKERS = (
    "Olive Valley",
    "OVNX",
    "Mafraq",
    "Madaba",
    "olive.example",
    "Sam Rivers",
    "Azraq",
    "Stonebridge",
    "Irbid",
    "Quarry",
    "Okafor",
    "Nour Tamimi",
    "Wheelchair",
    "next meeting",
    "Jerash",
    "Ramadan",
    "Charter draft",
    "Zarqa",
)

# Elements that end an inline run: the bidi paragraph is theirs, so a `dir`
# above them does not isolate the typed text from the words beside it.
BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "button", "caption",
    "dd", "details", "div", "dl", "dt", "fieldset", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "legend",
    "li", "main", "nav", "ol", "p", "pre", "section", "select",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
# Form controls whose text is their value or a choice, which the stylesheet
# lays out in the direction of what they hold (unicode-bidi: plaintext).
VALUES = {"textarea", "option"}
# A <title> is plain text: a typed value in it goes between Unicode isolates.
ISOLATED = re.compile("\u2068[^\u2069]*\u2069")


class World:
    """A Jordanian chapter whose organiser, partner organisation, meeting and
    its whole record were typed in English on the Arabic site."""

    def __init__(self, client, capture):
        ensure_default_agenda()
        self.chapter = ChapterFactory(
            country="JO",
            time_zone="Asia/Amman",
            introduction_en=INTRODUCTION,
            host_organisation_en=ORGANISATION,
        )
        self.organiser = OrganiserFactory(
            chapter=self.chapter,
            user=UserFactory(first_name=ORGANISER[0], last_name=ORGANISER[1]),
        ).user
        client.force_login(self.organiser)
        self.client = client

        self.prospect = organisations.organisation_add(
            actor=self.organiser,
            chapter=self.chapter,
            values={
                "name_en": ORGANISATION,
                "acronym": ACRONYM,
                "kind": "network",
                "city_en": CITY,
                "description_en": DESCRIPTION,
                "website": "https://olive.example",
            },
            representative={
                "name": REPRESENTATIVE,
                "email": "sam@olive.example",
                "role": ROLE,
                "language": "ar",
            },
        )
        self.organisation = self.prospect.organisation
        self.representative = self.organisation.representatives.get()

        response = client.post(
            url("meetings:create", "jo", language="ar"),
            meeting_form(
                title_ar="", title_en=MEETING, venue_address=VENUE, city_ar=""
            ),
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        self.meeting = Meeting.objects.get(chapter=self.chapter)
        agenda_item_add(
            actor=self.organiser,
            meeting=self.meeting,
            data={
                "title_en": AGENDA_ITEM,
                "presenter": PRESENTER,
                "duration_minutes": 20,
            },
        )
        invite(self.organiser, self.meeting, [self.representative], capture)
        self.invitation = self.meeting.invitations.get()
        self.token = invitation_link_new(invitation=self.invitation, channel="email")
        with capture(execute=True):
            invitation_answer(
                invitation=self.invitation,
                accept=True,
                name_in_minutes=True,
                **ANSWER,
            )

    def meet(self, capture):
        """The meeting's day and after: check-in, notes, ideas, a decision,
        the membership confirmed, the minutes published."""
        with capture(execute=True):
            attendance_check_in(actor=self.organiser, invitation=self.invitation)
        first_item = self.meeting.agenda_items.order_by("order").first()
        note_save(
            actor=self.organiser, item=first_item, language="ar", text=NOTE, version=0
        )
        idea_add(
            actor=self.organiser,
            meeting=self.meeting,
            category="joint_work",
            topic="advocacy",
            text=IDEA,
            organisation=self.organisation,
        )
        with capture(execute=True):
            submitted = idea_submit(
                invitation=self.invitation,
                category="expectations",
                topic="question",
                text=INVITEE_IDEA,
            )
            idea_moderate(actor=self.organiser, idea=submitted, approve=True)
        decision_add(
            actor=self.organiser,
            meeting=self.meeting,
            data={
                "text_en": DECISION,
                "owner": self.organisation,
                "due_date": timezone.localdate() + timedelta(days=30),
            },
        )
        material_add(
            actor=self.organiser,
            chapter=self.chapter,
            meeting=self.meeting,
            title=MATERIAL,
            languages=["en"],
            url="https://example.org/charter",
        )
        with capture(execute=True):
            membership.membership_request(
                actor=self.organiser,
                chapter=self.chapter,
                organisations=[self.organisation],
            )
        with capture(execute=True):
            self.membership = membership.membership_confirm(
                link=link_of(self.representative.email),
                language="ar",
                role=ROLE,
                consent_version=consent_statement_current().version,
            ).membership
        initial_tasks.task_save(
            actor=self.organiser,
            chapter=self.chapter,
            values={"title_en": TASK, "lead": self.organisation},
        )
        with capture(execute=True):
            minutes_publish(actor=self.organiser, meeting=self.meeting)
        mail.outbox.clear()
        # Signed in again on the meeting's day: the session of three weeks
        # before has expired.
        self.client.force_login(self.organiser)


PAGES = {
    "country page": lambda w: url("chapters:country", "jo", language="ar"),
    "dashboard": lambda w: url("chapters:manage", "jo", language="ar"),
    "audit trail": lambda w: url("chapters:audit", "jo", language="ar"),
    "organisers": lambda w: url("chapters:organisers", "jo", language="ar"),
    "outreach list": lambda w: url("members:outreach", "jo", language="ar"),
    "organisation on the list": lambda w: url(
        "members:prospect", "jo", w.prospect.pk, language="ar"
    ),
    "membership list": lambda w: url("members:memberships", "jo", language="ar"),
    "membership": lambda w: url(
        "members:membership_detail", "jo", w.membership.pk, language="ar"
    ),
    "initial tasks": lambda w: url("members:tasks", "jo", language="ar"),
    "meetings": lambda w: url("meetings:list", "jo", language="ar"),
    "meeting and its invitations": lambda w: url(
        "meetings:detail", "jo", w.meeting.pk, language="ar"
    ),
    "check-in": lambda w: url("meetings:checkin", "jo", w.meeting.pk, language="ar"),
    "notes": lambda w: url("meetings:notes", "jo", w.meeting.pk, language="ar"),
    "ideas": lambda w: url("meetings:ideas", "jo", w.meeting.pk, language="ar"),
    "decisions": lambda w: url("meetings:decisions", "jo", w.meeting.pk, language="ar"),
    "minutes": lambda w: url("meetings:minutes", "jo", w.meeting.pk, language="ar"),
    "invitee's page": lambda w: url("meetings:invitation", w.token, language="ar"),
    "invitee's minutes": lambda w: url(
        "meetings:invitation_minutes", w.token, language="ar"
    ),
}


@pytest.fixture
def world(client, django_capture_on_commit_callbacks):
    world = World(client, django_capture_on_commit_callbacks)
    with time_machine.travel(world.meeting.starts_at + timedelta(hours=1)):
        world.meet(django_capture_on_commit_callbacks)
        yield world


def page(world, name: str) -> str:
    response = world.client.get(PAGES[name](world))
    assert response.status_code == 200, (name, response.status_code, response)
    return response.content.decode()


def _isolated(element) -> bool:
    """Whether text directly inside `element` is set apart from the words
    around it: a <bdi> or a `dir` on the way up to the nearest block."""
    for node in [element, *element.iterancestors()]:
        if not isinstance(node.tag, str):
            continue
        if node.tag == "bdi" or node.get("dir") is not None:
            return True
        if node.tag in VALUES:
            return True
        if node.tag in BLOCKS:
            return False
    return False


def _typed(text: str | None) -> bool:
    return bool(text) and any(marker in text for marker in MARKERS)


def unisolated_typed_text(page: str) -> list[str]:
    """The text nodes of the page's body that hold a typed value without an
    isolating element, each with the markup around it; and the page's title
    (plain text, no markup) when it holds one outside Unicode isolates."""
    document = lxml_html.document_fromstring(page)
    found = []
    for element in document.body.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style"):
            continue
        # An element's own text, and the text after each child (its tail),
        # which belongs to the element, not to the child.
        runs = [element.text, *(child.tail for child in element)]
        found += [
            f"{text.strip()!r} in "
            + lxml_html.tostring(element, encoding="unicode")[:300]
            for text in runs
            if _typed(text) and not _isolated(element)
        ]
    title = document.findtext(".//title") or ""
    if "<" in title or _typed(ISOLATED.sub("", title)):
        found.append(f"title {title!r}")
    return found


def test_free_text_fields_and_options_take_the_direction_of_what_they_hold():
    """The exemption above holds only while the stylesheet says so."""
    css = (settings.BASE_DIR / "static" / "css" / "portal.css").read_text()
    rules = re.findall(
        r"([^{}]+)\{([^}]*)\}", re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    )
    plaintext = {
        selector.strip()
        for selectors, body in rules
        if re.search(r"unicode-bidi:\s*plaintext", body)
        for selector in selectors.split(",")
    }
    assert {"textarea", 'input[type="text"]', "option"} <= plaintext


def test_every_marker_is_typed_text_that_the_pages_show(world):
    """The check below would pass on pages that show none of the values:
    each value is on at least one page, outside attributes."""
    shown = set()
    for name in PAGES:
        text = lxml_html.document_fromstring(page(world, name)).body.text_content()
        shown |= {marker for marker in MARKERS if marker in text}
    assert shown == set(MARKERS)


@pytest.mark.parametrize("name", PAGES)
def test_typed_values_are_isolated_on_the_arabic_page(world, name):
    assert unisolated_typed_text(page(world, name)) == []


# Dates ---------------------------------------------------------------------------
# Written as the page's language writes them (chapters.times, through Babel)
# and in the chapter's zone, where Django's `date` filter wrote UTC with a
# format of the portal's own.


def test_dates_and_times_read_as_arabic_writes_them_in_the_chapters_zone(world):
    zone = ZoneInfo("Asia/Amman")
    published = world.meeting.minutes.published_at
    with translation.override("ar"):
        moment = times.local_moment(published, zone)
        day = times.local_day(world.prospect.created_at, zone)
    assert "،" in moment  # "23 ديسمبر 2026، 11:00", the Arabic comma
    assert moment in page(world, "minutes")
    assert day in page(world, "organisation on the list")
