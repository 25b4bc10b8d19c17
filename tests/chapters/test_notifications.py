"""Organisers hear what organisations do (answer an invitation, confirm,
decline, withdraw, express interest) at once, in a daily digest, or not at
all, in the language they chose; a digest never repeats an event."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from chapters import services as chapter_services
from chapters.models import (
    AuditEntry,
    Organiser,
    OrganiserNotification,
    OrganiserPreference,
)
from chapters.notifications import digests_send, immediate_recipients
from chapters.tasks import organiser_digests_task
from meetings.services.invitations import invitation_answer
from members.services import membership
from members.services.consent import consent_statement_current
from members.services.interest import Interest, interest_submit
from tests.factories import (
    ChapterFactory,
    InvitationFactory,
    MeetingFactory,
    OrganisationFactory,
    ProspectFactory,
    RepresentativeFactory,
    UserFactory,
)
from tests.members.membership_helpers import link_of
from tests.urls import url

pytestmark = pytest.mark.django_db
START = "2026-04-01 06:00:00+00:00"


@pytest.fixture
def chapter():
    return ChapterFactory(country="JO", name_ar="فرع الأردن", name_en="Jordan chapter")


def organiser(chapter, delivery=None, language="ar", email=None):
    user = UserFactory(**({"email": email} if email else {}))
    Organiser.objects.create(chapter=chapter, user=user)
    if delivery:
        OrganiserPreference.objects.create(
            user=user, delivery=delivery, language=language
        )
    return user


def invitation_for(chapter, name_en="Dew Association", name_ar="جمعية الندى"):
    organisation = OrganisationFactory(name_en=name_en, name_ar=name_ar)
    meeting = MeetingFactory(
        chapter=chapter, title_en="First session", title_ar="الجلسة الأولى"
    )
    return InvitationFactory(meeting=meeting, organisation=organisation)


def to(address):
    return [message for message in mail.outbox if address in message.to]


def test_an_answer_reaches_an_organiser_at_once_in_arabic_by_default(chapter, sent):
    user = organiser(chapter)
    invitation = invitation_for(chapter)
    with sent():
        invitation_answer(invitation=invitation, accept=True)
    [message] = to(user.email)
    assert "جمعية الندى" in message.subject
    assert "الجلسة الأولى" in message.subject
    # Literal: the links as the e-mail must carry them, in Arabic.
    assert f"/ar/manage/jo/meetings/{invitation.meeting.pk}/" in message.body
    assert "/ar/my/notifications/" in message.body
    row = OrganiserNotification.objects.get(recipient=user)
    assert row.kind == "invitation.accepted"
    assert row.sent_at is not None


def test_an_organiser_who_chose_english_reads_english(chapter, sent):
    user = organiser(chapter, delivery="immediate", language="en")
    invitation = invitation_for(chapter)
    with sent():
        invitation_answer(invitation=invitation, accept=False)
    [message] = to(user.email)
    assert message.subject == (
        "Dew Association declined the invitation to “First session”."
    )
    # Literal: the link as the e-mail must carry it, in English.
    assert f"/en/manage/jo/meetings/{invitation.meeting.pk}/" in message.body


def test_digest_and_off_organisers_get_no_mail_at_the_moment_of_the_answer(
    chapter, sent
):
    digest = organiser(chapter, delivery="digest")
    off = organiser(chapter, delivery="off")
    with sent():
        invitation_answer(invitation=invitation_for(chapter), accept=True)
    assert to(digest.email) == [] and to(off.email) == []
    assert OrganiserNotification.objects.filter(
        recipient=digest, sent_at__isnull=True
    ).exists()
    assert not OrganiserNotification.objects.filter(recipient=off).exists()


def test_a_chapter_without_organisers_tells_its_public_address(sent):
    chapter = ChapterFactory(country="EG", contact_email="chapter@eg.example")
    with sent():
        invitation_answer(invitation=invitation_for(chapter), accept=True)
    assert len(to("chapter@eg.example")) == 1
    assert immediate_recipients(chapter) == [("chapter@eg.example", "ar")]


def test_the_members_notices_follow_each_organisers_choice(chapter, sent):
    now = organiser(chapter, delivery="immediate", language="en")
    later = organiser(chapter, delivery="digest")
    prospect = ProspectFactory(chapter=chapter, stage="attended")
    representative = RepresentativeFactory(organisation=prospect.organisation)
    with sent():
        membership.membership_request(
            actor=now, chapter=chapter, organisations=[prospect.organisation]
        )
    link = link_of(representative.email)
    mail.outbox.clear()
    with sent():
        membership.membership_confirm(
            link=link,
            language="ar",
            role="Director",
            consent_version=consent_statement_current().version,
        )
    [notice] = to(now.email)
    assert "confirmed its membership" in notice.subject
    # Literal: the link as the e-mail must carry it, in English.
    assert "/en/manage/jo/membership/" in notice.body
    assert to(later.email) == []
    waiting = OrganiserNotification.objects.get(recipient=later)
    assert waiting.kind == "membership.confirm" and waiting.sent_at is None


def test_withdrawal_and_interest_are_recorded_for_the_digest(chapter, sent):
    later = organiser(chapter, delivery="digest")
    with sent():
        interest_submit(
            chapter=chapter,
            interest=Interest(
                organisation_name="Valley think tank",
                kind="think_tank",
                contact_name="Huda",
                email="huda@example.org",
                message="",
                language="en",
            ),
        )
    assert to(later.email) == []
    kinds = list(
        OrganiserNotification.objects.filter(recipient=later).values_list(
            "kind", flat=True
        )
    )
    assert kinds == ["interest"]


# The digest ------------------------------------------------------------------


def answer_at(when, chapter, sent, **names):
    with time_machine.travel(when, tick=False), sent():
        invitation_answer(invitation=invitation_for(chapter, **names), accept=True)


def test_the_digest_sends_each_event_once_however_often_it_runs(chapter, sent):
    user = organiser(chapter, delivery="digest", language="en")
    start = timezone.datetime.fromisoformat(START)
    answer_at(start, chapter, sent, name_en="Dew", name_ar="الندى")
    answer_at(start + timedelta(hours=1), chapter, sent, name_en="Olive", name_ar="ز")
    with time_machine.travel(start + timedelta(hours=2), tick=False), sent():
        assert digests_send() == 1
        assert digests_send() == 0
        out = io.StringIO()
        call_command("send_organiser_digests", stdout=out)
        assert out.getvalue() == "0 digests queued.\n"
    [digest] = to(user.email)
    assert digest.subject == "Daily digest: 2 updates from organisations"
    assert "Dew accepted the invitation" in digest.body
    assert "Olive accepted the invitation" in digest.body
    assert not OrganiserNotification.objects.filter(sent_at__isnull=True).exists()


def test_the_next_digest_waits_a_day_and_holds_only_new_events(chapter, sent):
    user = organiser(chapter, delivery="digest", language="en")
    start = timezone.datetime.fromisoformat(START)
    answer_at(start, chapter, sent, name_en="Dew", name_ar="الندى")
    with time_machine.travel(start + timedelta(hours=1), tick=False), sent():
        digests_send()
    answer_at(start + timedelta(hours=3), chapter, sent, name_en="Olive", name_ar="ز")
    with time_machine.travel(start + timedelta(hours=12), tick=False), sent():
        assert digests_send() == 0
    with time_machine.travel(start + timedelta(hours=25), tick=False), sent():
        assert organiser_digests_task.call() == 1
    first, second = to(user.email)
    assert "Dew" in first.body and "Olive" not in first.body
    assert "Olive" in second.body and "Dew" not in second.body


def test_an_event_during_the_digest_run_waits_for_the_next_one(chapter, sent):
    user = organiser(chapter, delivery="digest", language="en")
    start = timezone.datetime.fromisoformat(START)
    answer_at(start, chapter, sent, name_en="Dew", name_ar="الندى")
    with sent():
        digests_send(now=start + timedelta(minutes=30))
    answer_at(start + timedelta(hours=1), chapter, sent, name_en="Olive", name_ar="ز")
    row = OrganiserNotification.objects.get(data__organisation__en="Olive")
    assert row.sent_at is None
    assert len(to(user.email)) == 1


def test_turning_notifications_off_drops_what_was_waiting(chapter, sent):
    user = organiser(chapter, delivery="digest")
    answer_at(START, chapter, sent)
    OrganiserPreference.objects.filter(user=user).update(delivery="off")
    with sent():
        assert digests_send() == 0
    assert to(user.email) == []
    with sent():
        OrganiserPreference.objects.filter(user=user).update(delivery="digest")
        assert digests_send() == 0


def test_a_revoked_organiser_gets_no_digest_of_that_chapter(chapter, sent):
    user = organiser(chapter, delivery="digest")
    answer_at(START, chapter, sent)
    Organiser.objects.filter(user=user).update(revoked_at=timezone.now())
    with sent():
        assert digests_send() == 0
    assert to(user.email) == []


def test_the_digest_is_in_the_organisers_language_and_time_zone(chapter, sent):
    chapter.time_zone = "Asia/Amman"
    chapter.save()
    user = organiser(chapter, delivery="digest", language="ar")
    answer_at("2026-04-01 06:00:00+00:00", chapter, sent)
    with sent():
        digests_send(now=timezone.datetime.fromisoformat("2026-04-01 07:00:00+00:00"))
    [digest] = to(user.email)
    assert "جمعية الندى" in digest.body
    assert "فرع الأردن" in digest.body
    # The day and hour as Arabic writes them, in Amman (UTC+3), not UTC.
    assert "1 أبريل 2026، 09:00" in digest.body
    assert "1 أبريل 2026، 09:00" in digest.alternatives[0][0]
    # Literal: the link as the e-mail must carry it, in Arabic.
    assert "/ar/my/notifications/" in digest.body


# Preferences --------------------------------------------------------------------


def test_the_preferences_page_shows_the_defaults(client, chapter):
    user = organiser(chapter)
    client.force_login(user)
    response = client.get(url("chapters:notification_settings"))
    assert response.status_code == 200
    assert response.context["form"].initial == {
        "delivery": "immediate",
        "language": "ar",
    }


def test_an_organiser_chooses_the_digest_in_english(client, chapter):
    user = organiser(chapter)
    client.force_login(user)
    response = client.post(
        url("chapters:notification_settings"), {"delivery": "digest", "language": "en"}
    )
    assert response.status_code == 302
    preference = OrganiserPreference.objects.get(user=user)
    assert (preference.delivery, preference.language) == ("digest", "en")
    entry = AuditEntry.objects.get(action="organiser.preferences")
    assert entry.after == {"delivery": "digest", "language": "en"}


@pytest.mark.parametrize(
    "data",
    [
        {"delivery": "hourly", "language": "en"},
        {"delivery": "digest", "language": "xx"},
        {},
    ],
)
def test_bad_choices_are_refused(client, chapter, data):
    user = organiser(chapter)
    client.force_login(user)
    response = client.post(url("chapters:notification_settings"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not OrganiserPreference.objects.filter(user=user).exists()


def test_saving_the_same_choice_twice_records_one_change(client, chapter):
    user = organiser(chapter)
    client.force_login(user)
    for _ in range(2):
        client.post(
            url("chapters:notification_settings"),
            {"delivery": "off", "language": "ar"},
        )
    assert AuditEntry.objects.filter(action="organiser.preferences").count() == 1


def test_people_who_organise_nothing_get_404(client, chapter):
    user = UserFactory()
    RepresentativeFactory(user=user)
    client.force_login(user)
    assert client.get(url("chapters:notification_settings")).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(url("chapters:notification_settings"))
    assert response.status_code == 302
    assert url("account_login") in response["Location"]


def test_a_co_organiser_starts_with_the_language_of_their_invitation(chapter, sent):
    inviter = organiser(chapter)
    with sent():
        invitation = chapter_services.organiser_invite(
            actor=inviter, chapter=chapter, email="co@example.org", language="en"
        )
    newcomer = UserFactory(email="co@example.org")
    chapter_services.organiser_invitation_accept(invitation=invitation, user=newcomer)
    assert OrganiserPreference.objects.get(user=newcomer).language == "en"


def test_the_organisers_language_and_choice_come_from_one_query(
    chapter, django_assert_num_queries
):
    for number in range(5):
        organiser(chapter, delivery="immediate" if number % 2 else None)
    with django_assert_num_queries(1):
        assert len(immediate_recipients(chapter)) == 5
