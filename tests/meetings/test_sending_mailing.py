"""The worker's fast path (InvitationMailing: rendered once per meeting and
language, filled in per invitee, MIME assembled from a skeleton) gives the
very message that invitation_email() renders from scratch."""

import email
import email.policy

import icalendar
import pytest

from meetings.emails import InvitationMailing, invitation_email, message_id
from meetings.models import Material
from tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db

OPT_OUT = "https://chapters.example.org/ar/opt-out/" + "o" * 43 + "/"
TOKEN = "t" * 43


def _parse(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.SMTP)


def _parts(message) -> dict:
    return {
        part.get_content_type(): part.get_content()
        for part in message.walk()
        if not part.is_multipart()
    }


def _calendar(data) -> dict:
    data = data.encode() if isinstance(data, str) else data
    event = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    return {key: str(value) for key, value in event.items() if key.upper() != "DTSTAMP"}


@pytest.fixture
def rich_meeting(meeting, organiser):
    meeting.description_ar = "نقاش حول «التنمية» بقيادة المجتمع & <الشراكة>"
    meeting.description_en = 'Talk about "community-led" development & <partners>'
    meeting.save()
    meeting.agenda_items.create(
        order=1, title_ar="الترحيب", title_en="Welcome", presenter="Huda"
    )
    Material.objects.create(
        chapter=meeting.chapter,
        meeting=meeting,
        title="Notes & <ideas>",
        languages=["ar", "en"],
        url="https://example.org/notes",
    )
    return meeting


@pytest.mark.parametrize(
    ("message", "language"),
    [
        ("invitation", "ar"),
        ("invitation", "en"),
        ("reminder", "en"),
        ("moved", "ar"),
        ("cancelled", "en"),
    ],
)
def test_the_prepared_message_is_the_message_rendered_from_scratch(
    rich_meeting, organiser, message, language
):
    invitation = InvitationFactory(
        meeting=rich_meeting,
        language=language,
        name='Salma <b>"Ali"</b> & سلمى',
        created_by=organiser,
    )
    agenda = list(rich_meeting.agenda_items.all())
    materials = list(rich_meeting.materials.all())
    mailing = InvitationMailing(
        meeting=rich_meeting,
        message=message,
        language=language,
        agenda=agenda,
        materials=materials,
        reply_to=[organiser.email],
    )
    prepared = mailing.prepare(
        invitation=invitation, raw_token=TOKEN, opt_out_link=OPT_OUT
    )
    expected = invitation_email(
        invitation=invitation,
        message=message,
        raw_token=TOKEN if message != "cancelled" else None,
        agenda=agenda,
        materials=materials,
        opt_out_link=OPT_OUT,
        message_id=message_id(invitation, message),
    )
    fast = _parse(prepared.raw)
    slow = _parse(expected.message(policy=email.policy.SMTP).as_bytes())
    for header in ("Subject", "From", "To", "Reply-To", "Message-ID"):
        assert fast[header] == slow[header], header
    assert fast["List-Unsubscribe"] == slow["List-Unsubscribe"] == f"<{OPT_OUT}>"
    assert fast["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    fast_parts, slow_parts = _parts(fast), _parts(slow)
    assert fast_parts.keys() == slow_parts.keys()
    assert fast_parts["text/plain"] == slow_parts["text/plain"]
    assert fast_parts["text/html"] == slow_parts["text/html"]
    if message == "reminder":
        assert "text/calendar" not in fast_parts
    else:
        assert _calendar(fast_parts["text/calendar"]) == _calendar(
            slow_parts["text/calendar"]
        )
    # The Django message handed to other backends is the same message too.
    same = prepared.email()
    assert same.body == expected.body and same.subject == expected.subject
    assert same.alternatives == expected.alternatives
    if message != "cancelled":
        assert f"/invitation/{TOKEN}/" in fast_parts["text/plain"]
    assert "&lt;b&gt;" in fast_parts["text/html"]  # the name is escaped in HTML
    assert '<b>"Ali"</b>' in fast_parts["text/plain"]


def test_a_long_opt_out_link_stays_a_plain_list_unsubscribe_header(meeting, organiser):
    invitation = InvitationFactory(meeting=meeting, created_by=organiser)
    mailing = InvitationMailing(
        meeting=meeting,
        message="invitation",
        language="ar",
        agenda=[],
        materials=[],
        reply_to=[],
    )
    prepared = mailing.prepare(
        invitation=invitation, raw_token=TOKEN, opt_out_link=OPT_OUT
    )
    assert f"\r\nList-Unsubscribe: <{OPT_OUT}>\r\n".encode() in prepared.raw
    assert b"=?utf-8?" not in prepared.raw.split(b"List-Unsubscribe:")[1][:20]


def test_an_address_with_a_non_ascii_domain_takes_the_general_path(meeting, organiser):
    invitation = InvitationFactory(
        meeting=meeting, email="salma@مثال.example", created_by=organiser
    )
    mailing = InvitationMailing(
        meeting=meeting,
        message="invitation",
        language="ar",
        agenda=[],
        materials=[],
        reply_to=[],
    )
    prepared = mailing.prepare(
        invitation=invitation, raw_token=TOKEN, opt_out_link=OPT_OUT
    )
    assert prepared.raw is None
    assert prepared.email().to == ["salma@مثال.example"]


@pytest.mark.parametrize("extra", range(0, 80, 7))
def test_each_invitees_calendar_file_is_the_one_made_for_their_link(meeting, extra):
    """The calendar file filled in per invitee is, byte for byte, the file
    made for that invitee's link, wherever the long lines happen to fold
    (the description's length moves the folds through the token)."""
    from chapters.tokens import token_new
    from meetings.emails import invitation_url
    from meetings.ics import MeetingCalendar

    meeting.description_en = "Community, led; \\ development " + "é" * extra
    calendar = MeetingCalendar(meeting, language="en")
    slot = "z" * len(token_new()[0])
    url = invitation_url(raw_token=slot, language="en")
    personal = calendar.personal(url=url, slot=slot)
    tokens = [token_new()[0] for _n in range(20)]
    # Values the shortcut cannot take are made the ordinary way.
    tokens += ["short", "a\\b;c,d" + "x" * (len(slot) - 7)]
    for token in tokens:
        expected = calendar.ics(url=url.replace(slot, token))
        assert personal.ics(token) == expected
        assert token in expected.replace(b"\r\n ", b"").decode()
