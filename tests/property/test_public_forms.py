"""Every public form, fed anything a browser, a bot or a careless paste can
send: the answer is never a server error, errors speak the page's language,
and a rejected submission writes nothing."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from hypothesis import event, given, settings
from hypothesis import strategies as st

from chapters.models import AuditEntry
from meetings.services.invitations import invitation_link_new
from members.models import (
    DoNotContact,
    Organisation,
    Prospect,
    Representative,
)
from members.services.do_not_contact import opt_out_url
from tests.factories import (
    InvitationFactory,
    MeetingFactory,
    OrganiserFactory,
    UserFactory,
)

from .strategies import (
    ARABIC_RE,
    assert_errors_in_language,
    clean_example,
    examples,
    form_data,
    hostile_text,
)

pytestmark = pytest.mark.django_db

languages = st.sampled_from(["ar", "en"])

VALID_INTEREST = {
    "organisation_name": "جمعية النور Al-Nour",
    "kind": "cbo",
    "contact_name": "Layla Haddad",
    "email": "layla@example.org",
    "message": "نود الانضمام.",
    "homepage": "",
}


def last(value) -> str:
    """The value a form field reads when several were sent: the last."""
    return value[-1] if isinstance(value, list) else value


def row_counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Organisation, Prospect, Representative, AuditEntry)
    }


@settings(max_examples=examples(70))
@given(language=languages, data=form_data(VALID_INTEREST))
def test_interest_form_never_fails_and_a_rejected_form_stores_nothing(
    client, chapter, language, data
):
    with clean_example():
        before = row_counts()
        response = client.post(f"/{language}/countries/jo/interest/", data)
        event(f"status {response.status_code}")
        assert response.status_code in (302, 400), response.status_code
        after = row_counts()
        if response.status_code == 400:
            assert after == before
            assert_errors_in_language(response, language, data)
        elif last(data.get("homepage", "")).strip():
            assert after == before  # the honeypot: looks accepted, keeps nothing
        else:
            assert after["Prospect"] == before["Prospect"] + 1


@pytest.fixture
def invitation(chapter):
    meeting = MeetingFactory(chapter=chapter)
    return InvitationFactory(meeting=meeting, status="sent", language="ar")


@pytest.fixture
def invitation_token(invitation):
    return invitation_link_new(invitation=invitation, channel="email")


VALID_ANSWER = {
    "answer": ["accept", "decline"],
    "attendees": "سلمى وعمر",
    "needs": "",
    "note": "Looking forward",
}


@settings(max_examples=examples(50))
@given(language=languages, data=form_data(VALID_ANSWER))
def test_invitation_answer_never_fails_and_a_rejected_answer_changes_nothing(
    client, invitation, invitation_token, language, data
):
    url = f"/{language}/invitation/{invitation_token}/"
    with clean_example():
        audit_before = AuditEntry.objects.count()
        response = client.post(url, data)
        event(f"status {response.status_code}")
        assert response.status_code in (200, 302), response.status_code
        invitation.refresh_from_db()
        if response.status_code == 302:
            expected = "accepted" if last(data["answer"]) == "accept" else "declined"
            assert invitation.status == expected
        else:
            assert invitation.status == "sent"
            assert invitation.answered_at is None
            assert AuditEntry.objects.count() == audit_before
            assert_errors_in_language(response, language, data)


@settings(max_examples=examples(40))
@given(
    language=languages,
    data=form_data({"reason": "Too many e-mails"}),
    one_click=st.booleans(),
)
def test_opt_out_page_always_opts_out_and_keeps_only_a_clean_reason(
    client, db, language, data, one_click
):
    with clean_example():
        from django.utils import translation

        with translation.override(language):
            url = opt_out_url("amal@example.org").split("://", 1)[1]
        path = "/" + url.split("/", 1)[1]
        if one_click:
            data = {**data, "List-Unsubscribe": "One-Click"}
        page = client.get(path)
        assert page.status_code == 200
        response = client.post(path, data)
        assert response.status_code == 200
        entry = DoNotContact.objects.get(email="amal@example.org")
        assert len(entry.reason) <= 255
        assert "\x00" not in entry.reason
        assert entry.reason == entry.reason.strip()
        if language == "ar":
            assert ARABIC_RE.search(response.content.decode())


@settings(max_examples=examples(50))
@given(
    language=languages,
    data=form_data({"login": "organiser@example.org", "password": "wrong"}),
)
def test_sign_in_never_fails_lets_nobody_in_and_creates_nothing(
    client, db, language, data
):
    with clean_example():
        UserFactory(email="organiser@example.org")
        users = get_user_model().objects.count()
        addresses = EmailAddress.objects.count()
        response = client.post(f"/{language}/accounts/login/", data)
        event(f"status {response.status_code}")
        assert response.status_code in (200, 400, 429), response.status_code
        assert "_auth_user_id" not in client.session
        assert get_user_model().objects.count() == users
        assert EmailAddress.objects.count() == addresses
        assert_errors_in_language(response, language, data)


@settings(max_examples=examples(40))
@given(language=languages, data=form_data({"email": "organiser@example.org"}))
def test_sign_in_code_request_never_fails_and_creates_no_account(
    client, db, language, data
):
    with clean_example():
        UserFactory(email="organiser@example.org")
        users = get_user_model().objects.count()
        response = client.post(f"/{language}/accounts/login/code/", data)
        event(f"status {response.status_code}")
        assert response.status_code in (200, 302, 400, 429), response.status_code
        assert "_auth_user_id" not in client.session
        assert get_user_model().objects.count() == users
        if response.status_code != 302:
            assert_errors_in_language(response, language, data)


@settings(max_examples=examples(40))
@given(language=languages, data=form_data({"code": "ABCD-EFGH"}))
def test_a_wrong_sign_in_code_never_fails_and_lets_nobody_in(db, language, data):
    with clean_example():
        UserFactory(email="organiser@example.org")
        client = Client()
        started = client.post(
            f"/{language}/accounts/login/code/", {"email": "organiser@example.org"}
        )
        assert started.status_code == 302
        mail.outbox.clear()
        response = client.post(f"/{language}/accounts/login/code/confirm/", data)
        event(f"status {response.status_code}")
        assert response.status_code in (200, 302, 400, 429), response.status_code
        assert "_auth_user_id" not in client.session
        if response.status_code == 200:
            assert_errors_in_language(response, language, data)


@settings(max_examples=examples(20))
@given(language=languages, body=hostile_text)
def test_forms_posted_as_json_or_raw_bytes_get_a_page_not_an_error(
    client, chapter, invitation_token, language, body
):
    """A client that posts JSON or garbage instead of form fields gets the
    form back with its errors."""
    urls = [
        f"/{language}/countries/jo/interest/",
        f"/{language}/invitation/{invitation_token}/",
        f"/{language}/accounts/login/",
        f"/{language}/accounts/login/code/",
    ]
    with clean_example():
        before = row_counts()
        for url in urls:
            for content_type in ("application/json", "text/plain"):
                response = client.post(url, body, content_type=content_type)
                assert response.status_code < 500, (url, response.status_code)
        assert row_counts() == before


@pytest.fixture
def membership_answer_path(chapter, django_capture_on_commit_callbacks):
    """A representative's personal link to confirm a membership, read out
    of the e-mail as the representative would."""
    from tests.members.membership_helpers import ask, links_for, on_outreach_list

    organiser = OrganiserFactory(chapter=chapter).user
    organisation, (representative,) = on_outreach_list(
        chapter, name_ar="جمعية الندى", name_en="Dew Association"
    )
    with django_capture_on_commit_callbacks(execute=True):
        ask(organiser, chapter, organisation)
    return links_for(representative.email)["respond"][0].split("/", 2)[2]


@settings(max_examples=examples(50))
@given(
    language=languages,
    data=form_data(
        {
            "action": ["confirm", "consult", "decline"],
            "consent": "on",
            "role": "مديرة",
            "consent_version": "__current__",
            "tasks": "",
            "name_ar": "جمعية الندى",
            "name_en": "Dew Association",
            "acronym": "DA",
            "kind": "ngo",
            "city_ar": "عمّان",
            "city_en": "Amman",
            "website": "https://dew.example",
            "description_ar": "",
            "description_en": "Village water committees.",
        }
    ),
)
def test_membership_answer_never_fails_and_a_rejected_answer_changes_nothing(
    client, membership_answer_path, language, data
):
    from members.models import Membership, MembershipEvent
    from members.services.consent import consent_statement_current

    if data.get("consent_version") == "__current__":
        data["consent_version"] = consent_statement_current().version
    if data.get("tasks") == "":
        del data["tasks"]
    with clean_example():
        membership = Membership.objects.get()
        state, events = membership.state, MembershipEvent.objects.count()
        organisation = membership.organisation
        response = client.post(f"/{language}/{membership_answer_path}", data)
        event(f"status {response.status_code}")
        assert response.status_code in (200, 302, 400), response.status_code
        membership.refresh_from_db()
        if response.status_code == 400:
            assert membership.state == state
            assert MembershipEvent.objects.count() == events
            organisation.refresh_from_db()
            assert organisation.name_en == "Dew Association"
            assert_errors_in_language(
                response, language, data, form_names=("answer_form", "profile_form")
            )
