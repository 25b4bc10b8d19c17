"""The demo that `make run` builds, walked as each of its people would: the
anonymous visitor, the invitee who holds only personal links, the
representative, the organisers of the Jordanian chapter (Arabic and English)
and of the Moroccan one (Arabic and French), and staff, in Arabic, English
and French.

Each walk starts where that person starts and follows every same-site link
(GET only). No page may answer a server error, no Arabic page may show
English the reader did not type, no French page an untranslated interface
string, and every URL pattern of the portal must be
walked or listed below with the reason it cannot be (a POST-only action, a
page reached only after a POST)."""

import email
import email.policy
import io
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from chapters.demo import (
    MOROCCAN_ORGANISER_EMAIL,
    ORGANISER_EMAIL,
    REPRESENTATIVE_EMAIL,
    STAFF_EMAIL,
)
from chapters.models import Chapter, ExportJob
from chapters.selectors import TRANSLATED_FIELDS
from meetings.models import Invitation, InvitationBatch, Meeting
from members.models import ImportJob, Membership
from tests.demo import nu
from tests.demo.walk import LeakFinder, UntranslatedFinder, Walk, route_name
from tests.security.urlwalk import project_routes

pytestmark = pytest.mark.django_db

LANGUAGES = ("ar", "en", "fr")
ROLES = (
    "anonymous",
    "invitee",
    "representative",
    "organiser",
    "moroccan_organiser",
    "staff",
)
# A personal link as e-mails write it, in any of the site's languages.
LINK_LANGUAGE = r"^https?://[^/]+/[a-z]{2}/"

# URL patterns no GET walk can open, and why. Each is exercised by the tests
# named beside it.
NOT_WALKED = {
    # Actions: POST only; a GET answers 405 (tests/security/test_permission_matrix.py).
    "chapters:organiser_grant": "POST-only action",
    "chapters:organiser_revoke": "POST-only action",
    "members:representative_remove": "POST-only action",
    "members:representative_opt_out": "POST-only action",
    "members:import_commit": "POST-only action",
    "members:import_cancel": "POST-only action",
    "members:chapter_forming": "POST-only action",
    "members:profile_contact": "POST-only action",
    "members:profile_withdraw": "POST-only action",
    "members:profile_volunteer": "POST-only action",
    "members:governance_role": "POST-only action",
    "meetings:status": "POST-only action",
    "meetings:agenda_move": "POST-only action",
    "meetings:invitations_action": "POST-only action",
    "meetings:invitation_action": "POST-only action",
    "meetings:note_save": "POST-only action",
    "meetings:idea_action": "POST-only action",
    "meetings:checkin_scan": "POST-only action (tests/meetings/test_checkin_codes.py)",
    # Pages that exist only right after a POST (tests/members/, tests/test_accounts.py).
    "members:membership_done": "shown once, from the session, after confirming",
    "account_confirm_login_code": "needs a code asked for by a POST first",
    "account_confirm_reauthentication_code": "needs a code asked for by a POST first",
    "account_email_verification_sent": "shown after a sign-up POST",
    "account_reset_password_from_key": "needs a reset key mailed after a POST",
    "account_reset_password_from_key_done": "shown after setting a new password",
    "account_set_password": "only for an account without a password",
    "account_reauthenticate": "asked for by sensitive actions, not linked",
    "account_request_reauthentication_code": "asked for by sensitive actions",
    "account_inactive": "shown when an inactive account signs in",
    "account_logout": "signing out ends the walk (the page is in the matrix)",
    "chapters:interest_thanks": "shown after the interest form's POST",
    # Asked for by browsers, not linked: a redirect to the static favicon
    # (tests/design/test_brand.py).
    "favicon": "a redirect that browsers ask for without a link",
    # The meeting day's installable app: its manifest (a <link rel>, not an
    # <a>) and its service worker (registered by script), which browsers
    # fetch themselves (tests/meetings/test_device_actions.py).
    "meetings:manifest": "fetched by browsers from <link rel=manifest>",
    "meeting_day_sw": "a service worker script, registered by the page's script",
    "members:merge_confirm": (
        "opened from a likely duplicate's 'Compare and merge', which the demo "
        "does not have (tests/members/test_merge_views.py)"
    ),
}


def _client(email: str | None) -> Client:
    client = Client()
    if email:
        client.force_login(get_user_model().objects.get(email=email))
    return client


def _outbox_links(settings) -> list[str]:
    links = []
    for path in sorted(settings.OUTBOX_DIR.glob("*.eml")):
        message = email.message_from_bytes(
            path.read_bytes(), policy=email.policy.default
        )
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                links += re.findall(
                    r"https?://[^\s\"'<>]+/[a-z]{2}/[^\s\"'<>]+", part.get_content()
                )
    return links


@pytest.fixture
def demo(settings, django_capture_on_commit_callbacks):
    """The demo as `make run` seeds it, with its e-mails kept in the outbox
    folder, and the personal links an organiser's reminder and membership
    request put in the invitee's hands. The Moroccan chapter's invitations,
    in Arabic and in French, were e-mailed when the seed committed."""
    settings.MAILERS = {"default": {"BACKEND": "config.outbox.OutboxEmailBackend"}}
    settings.OUTBOX_DIR.mkdir(parents=True, exist_ok=True)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    organiser = _client(ORGANISER_EMAIL)
    meeting = Meeting.objects.get(
        chapter__country="JO", kind="exploratory", status="open"
    )
    invitation = meeting.invitations.filter(status=Invitation.Status.SENT).first()
    membership = Membership.objects.filter(state=Membership.State.REQUESTED).first()
    with django_capture_on_commit_callbacks(execute=True):
        organiser.post(
            reverse(
                "meetings:invitation_action",
                kwargs={"iso2": "jo", "pk": meeting.pk, "invitation": invitation.pk},
            ),
            {"action": "remind"},
        )
        organiser.post(
            reverse(
                "members:membership_detail",
                kwargs={"iso2": "jo", "pk": membership.pk},
            )
        )
        # The minutes of the meeting held go to attendees not yet e-mailed.
        held = Meeting.objects.get(kind="exploratory", status="held")
        organiser.post(
            reverse("meetings:minutes", kwargs={"iso2": "jo", "pk": held.pk}),
            {"action": "publish"},
        )
    links = _outbox_links(settings)
    assert any("/invitation/" in link for link in links), links
    assert any("/membership/" in link for link in links), links
    assert any("/opt-out/" in link for link in links), links
    assert any("/fr/invitation/" in link for link in links), links
    return links


def _starts(role: str, language: str, links: list[str]) -> list[str]:
    home = f"/{language}/"
    starts = {
        "anonymous": [
            home,
            "/api/v1/countries/",
            "/api/v1/countries/JO/",
            "/api/v1/openapi.yaml",
            "/sitemap.xml",
            "/robots.txt",
            "/healthz",
            f"/{language}/accounts/password/reset/done/",
        ],
        # The newest e-mails first (the reminder and request the fixture
        # sent, then the seed's), so that the pages of one kind the walk
        # samples come from both chapters.
        "invitee": [
            re.sub(LINK_LANGUAGE, f"/{language}/", link)
            for link in reversed(links)
            if re.search(r"/(invitation|membership|opt-out|manage/invitations)/", link)
        ],
        "representative": [
            home,
            f"/{language}/my/",
            f"/{language}/accounts/email/",
            f"/{language}/accounts/password/change/",
        ],
        "organiser": [
            home,
            f"/{language}/my/",
            f"/{language}/manage/jo/",
            *_unlinked_organiser_pages(language, "jo"),
        ],
        "moroccan_organiser": [
            home,
            f"/{language}/my/",
            f"/{language}/manage/ma/",
            *_unlinked_organiser_pages(language, "ma"),
        ],
        "staff": [
            home,
            f"/{language}/staff/chapters/",
            f"/{language}/dev/outbox/",
            f"/{language}/admin/",
        ],
    }
    return starts[role]


def _unlinked_organiser_pages(language: str, iso2: str) -> list[str]:
    """Pages an organiser opens by a form's action or a redirect after a
    POST rather than by a link: opened directly with the demo's objects of
    the chapter (`iso2`)."""
    country = iso2.upper()
    meeting = Meeting.objects.get(
        chapter__country=country, kind="exploratory", status="open"
    )
    batch = InvitationBatch.objects.filter(meeting__chapter__country=country).first()
    job = ImportJob.objects.filter(chapter__country=country).first()
    with translation.override(language):
        pages = [
            reverse("meetings:material_add", args=[iso2, meeting.pk]),
            reverse("meetings:chapter_material_add", args=[iso2]),
        ]
        if batch is not None:
            at = [iso2, batch.meeting_id, batch.pk]
            pages += [
                reverse("meetings:batch", args=at),
                reverse("meetings:batch_progress", args=at),
            ]
        if job is not None:
            pages.append(reverse("members:import_status", args=[iso2, job.pk]))
        # A prepared export's state, polled by its page's script.
        for export in ExportJob.objects.filter(chapter__country=country):
            pages.append(reverse("chapters:export_job_status", args=[iso2, export.pk]))
    return pages


USERS = {
    "anonymous": None,
    "invitee": None,
    "representative": REPRESENTATIVE_EMAIL,
    "organiser": ORGANISER_EMAIL,
    "moroccan_organiser": MOROCCAN_ORGANISER_EMAIL,
    "staff": STAFF_EMAIL,
}


def _walk(role: str, language: str, links: list[str], finder) -> Walk:
    walk = Walk(_client(USERS[role]), language, finder)
    walk.same_hosts |= {"127.0.0.1:8000", re.sub("^https?://", "", _site())}
    return walk.run(_starts(role, language, links))


def _site() -> str:
    from django.conf import settings

    return settings.SITE_URL


def _report(walk: Walk) -> str:
    lines = list(walk.errors)
    for leak in walk.leaks:
        lines.append(f"{leak.url}: {leak.kind} {leak.words} in {leak.text!r}")
    return "\n".join(lines)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_the_demo_walked_shows_no_server_error_and_no_english_on_arabic_or_french_pages(
    demo, role, language
):
    started = time.monotonic()
    finder = {
        "ar": LeakFinder.for_demo,
        "fr": lambda: UntranslatedFinder.for_language("fr"),
    }.get(language, lambda: None)()
    walk = _walk(role, language, demo, finder)
    took = time.monotonic() - started
    print(f"walk {role} {language}: {len(walk.visits)} pages in {took:.1f} s")
    assert len(walk.visits) >= 3, [v.url for v in walk.visits]
    assert not walk.errors and not walk.leaks, _report(walk)


def test_every_url_pattern_is_walked_or_listed_with_a_reason(demo):
    walked = set()
    for role in ROLES:
        for language in LANGUAGES:
            walk = _walk(role, language, demo, None)
            walked |= {
                visit.route for visit in walk.visits if visit.status in (200, 204)
            }
    names = {route.name for route in project_routes()}
    missing = sorted(names - walked - set(NOT_WALKED))
    assert not missing, "Neither walked nor listed in NOT_WALKED: " + ", ".join(missing)
    stale = sorted(set(NOT_WALKED) & walked)
    assert not stale, "Walked after all; remove from NOT_WALKED: " + ", ".join(stale)
    assert set(NOT_WALKED) <= names


def _email_html_parts(settings) -> dict[str, str]:
    """The HTML part of every e-mail the demo sent, by subject and file."""
    parts = {}
    for path in sorted(settings.OUTBOX_DIR.glob("*.eml")):
        message = email.message_from_bytes(
            path.read_bytes(), policy=email.policy.default
        )
        html = message.get_body(preferencelist=("html",))
        if html is not None:
            parts[f"e-mail {message['Subject']!r} ({path.name})"] = html.get_content()
    return parts


def test_every_page_and_email_of_the_demo_is_valid_html(demo, settings):
    """Every page of every walk (each person, each language) and the HTML
    part of every e-mail the demo sent pass the Nu HTML Checker without an
    error; its warnings are reported."""
    nu.require()
    documents = {}
    for role in ROLES:
        for language in LANGUAGES:
            walk = _walk(role, language, demo, None)
            documents |= {f"{role} {url}": html for url, html in walk.documents.items()}
    emails = _email_html_parts(settings)
    assert len(emails) >= 10, sorted(emails)
    findings = nu.check(documents | emails)
    errors = [finding for finding in findings if finding.kind == "error"]
    warnings = [finding for finding in findings if finding.kind == "warning"]
    print(
        f"Nu HTML Checker: {len(documents)} pages and {len(emails)} e-mails, "
        f"{len(errors)} errors, {len(warnings)} warnings"
    )
    for warning in warnings:
        print(f"warning: {warning}")
    assert not errors, nu.summary(errors)


@pytest.mark.parametrize(
    ("country", "published"), [("MA", ["ar", "fr"]), ("JO", ["ar", "en"])]
)
def test_each_demo_country_page_reads_in_the_chapters_languages_without_fallback(
    client, country, published
):
    """The Moroccan chapter publishes in Arabic and French, the Jordanian
    one in Arabic and English: in each of them its page shows every text of
    the chapter in that language, none borrowed from another and marked."""
    call_command("seed_demo", stdout=io.StringIO())
    chapter = Chapter.objects.get(country=country)
    assert chapter.language_codes == published
    for language in published:
        with translation.override(language):
            address = reverse("chapters:country", args=[country.lower()])
        page = client.get(address).content.decode()
        assert re.search(rf'<html[^>]* lang="{language}"', page), address
        assert "fallback-mark" not in page, address
        for field in TRANSLATED_FIELDS:
            text = getattr(chapter, f"{field}_{language}")
            assert text and escape(text) in page, (address, field)


def test_the_walk_resolves_its_own_addresses():
    assert route_name("/en/countries/") == "chapters:directory"
    assert route_name("/nowhere/at/all/") is None


def test_an_english_interface_string_on_a_french_page_is_a_leak():
    """The French walk's finder: an untranslated interface string is found,
    an English word French shares ("Date") and the French text are not."""
    finder = UntranslatedFinder.for_language("fr")
    leaks = finder.leaks("/fr/x/", ["Outreach list", "Date", "Liste de mobilisation"])
    assert [leak.text for leak in leaks] == ["Outreach list"]


def test_a_check_in_code_on_an_arabic_page_is_a_code_not_english():
    finder = LeakFinder(interface=set(), codes=set(), values=[])
    texts = ["رمز تسجيل الحضور: BQ8T-VXDE-7TM1-VH7S-CCQ1-K8C1", "Check in by code"]
    leaks = finder.leaks("/ar/x/", texts)
    assert [leak.text for leak in leaks] == ["Check in by code"]
