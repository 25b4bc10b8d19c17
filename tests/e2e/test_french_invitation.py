"""In French: the organiser of a Moroccan chapter (Arabic and French) adds a
French-speaking organisation to the outreach list, plans the exploratory
meeting and invites it with an Arabic-speaking one. Each representative is
e-mailed in their own language; the French invitee opens the link from the
e-mail, reads the page in French and answers yes, and the answer is
recorded."""

import os
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from chapters.models import AuditEntry, Chapter
from chapters.services import chapter_open, organiser_grant
from meetings.models import Invitation, Meeting
from members.models import Representative
from members.services.organisations import organisation_add
from tests.e2e.session import sign_in
from tests.factories import StaffFactory, UserFactory
from tests.meetings.conftest import ensure_default_agenda

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOT_DIR", "")
ZONE = ZoneInfo("Africa/Casablanca")
TITLE_FR = "Première réunion exploratoire du chapitre Maroc"
TITLE_AR = "الاجتماع الاستكشافي الأول للفرع المغربي"
FRENCH_EMAIL = "nadia@fondation-atlas.example"
ARABIC_EMAIL = "khadija@tadamoune.example"


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def _moroccan_chapter():
    """Staff open the chapter in Arabic and French and make an organiser of
    it; an Arabic-speaking association is already on its outreach list."""
    staff = StaffFactory(email="staff@movement.example")
    chapter = chapter_open(
        actor=staff,
        values={
            "country": "MA",
            "languages": ["ar", "fr"],
            "time_zone": "Africa/Casablanca",
            "name_ar": "الفرع الوطني المغربي",
            "name_fr": "Chapitre national du Maroc",
        },
        organiser_emails=[],
        language="fr",
    )
    organiser = UserFactory(email="responsable@maroc.example")
    organiser_grant(actor=staff, chapter=chapter, user=organiser)
    organisation_add(
        actor=organiser,
        chapter=chapter,
        values={
            "name_ar": "جمعية تضامن للتنمية المجتمعية",
            "name_fr": "Association Tadamoune pour le développement communautaire",
            "kind": "cbo",
            "city_ar": "مراكش",
            "city_fr": "Marrakech",
        },
        representative={
            "name": "خديجة بنعلي",
            "email": ARABIC_EMAIL,
            "role": "رئيسة الجمعية",
            "language": "ar",
        },
    )
    return chapter, organiser


def test_a_moroccan_invitee_receives_and_answers_a_french_invitation(
    page, browser, live_server
):
    ensure_default_agenda()
    chapter, organiser = _moroccan_chapter()
    sign_in(page.context, organiser, live_server)

    # The organiser adds the foundation and its French-speaking contact; a
    # contact's language is one of the chapter's.
    page.goto("/fr/manage/ma/outreach/add/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.fill('input[name="name_fr"]', "Fondation Atlas pour l’initiative citoyenne")
    page.fill('input[name="name_ar"]', "مؤسسة الأطلس للمبادرة المواطنة")
    page.select_option('select[name="kind"]', "ngo")
    page.fill('input[name="city_fr"]', "Casablanca")
    page.fill('input[name="contact-name"]', "Nadia El Amrani")
    page.fill('input[name="contact-email"]', FRENCH_EMAIL)
    language = page.locator('select[name="contact-language"]')
    offered = language.locator("option").evaluate_all(
        "options => options.map(o => o.value).filter(Boolean)"
    )
    assert offered == ["ar", "fr"]
    language.select_option("fr")
    page.get_by_role("button", name="Ajouter à la liste de mobilisation").click()
    page.wait_for_url(re.compile(r"/fr/manage/ma/outreach/"))
    nadia = Representative.objects.get(email=FRENCH_EMAIL)
    khadija = Representative.objects.get(email=ARABIC_EMAIL)
    assert (nadia.chapter, nadia.language) == (chapter, "fr")

    # The meeting, in the chapter's working languages: the default agenda
    # comes in French.
    page.goto("/fr/manage/ma/meetings/new/")
    start = timezone.localtime(timezone.now() + timedelta(days=12), ZONE).replace(
        hour=10, minute=0
    )
    page.fill('input[name="title_ar"]', TITLE_AR)
    page.fill('input[name="title_fr"]', TITLE_FR)
    page.fill('input[name="starts_at"]', start.strftime("%Y-%m-%dT%H:%M"))
    page.fill(
        'input[name="ends_at"]', (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    )
    page.fill('input[name="city_ar"]', "الرباط")
    page.fill('input[name="city_fr"]', "Rabat")
    page.fill('textarea[name="venue_address"]', "Maison de la société civile, Rabat")
    page.locator('input[name="working_languages"][value="en"]').uncheck()
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r"/fr/manage/ma/meetings/\d+/$"))
    assert page.get_by_text("Accueil et présentations").first.is_visible()
    meeting = Meeting.objects.get(chapter=chapter)
    assert meeting.working_languages == ["ar", "fr"]

    page.get_by_role("link", name="Inviter des organisations").click()
    page.check(f"#rep-{nadia.pk}")
    page.check(f"#rep-{khadija.pk}")
    page.get_by_role("button", name="Prévisualiser l’invitation").click()
    assert page.get_by_text("L’invitation sera envoyée à 2 personnes").is_visible()
    _shot(page, "invite-preview-fr.png")
    page.get_by_role("button", name="Envoyer les invitations").click()
    page.wait_for_url(re.compile(r"/batches/\d+/$"))
    assert page.locator("#batch-progress").get_attribute("value") == "2"

    # Each is written to in their own language, with a link in it.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([FRENCH_EMAIL, ARABIC_EMAIL])
    french = next(m for m in mail.outbox if m.to == [FRENCH_EMAIL])
    assert french.subject.startswith("Invitation")
    assert TITLE_FR in french.subject and TITLE_AR not in french.subject
    assert "Nous avons le plaisir de vous inviter" in french.body
    assert "Ordre du jour" in french.body and "Accueil et présentations" in french.body
    html, _type = french.alternatives[0]
    assert '<html lang="fr" dir="ltr"' in html
    link = re.search(r"https?://[^/\s]+(/fr/invitation/[^/\s]+/)", french.body)
    assert link, french.body

    arabic = next(m for m in mail.outbox if m.to == [ARABIC_EMAIL])
    assert "دعوة" in arabic.subject and TITLE_AR in arabic.subject
    assert TITLE_FR not in arabic.subject
    assert "/ar/invitation/" in arabic.body and "/fr/" not in arabic.body
    assert '<html lang="ar" dir="rtl"' in arabic.alternatives[0][0]

    # The invitee opens the link from the e-mail and answers, in French.
    context = browser.new_context(base_url=live_server.url, locale="fr")
    invitee = context.new_page()
    invitee.goto(link.group(1))
    assert invitee.locator("html").get_attribute("lang") == "fr"
    assert invitee.evaluate("getComputedStyle(document.body).direction") == "ltr"
    assert invitee.get_by_role("heading", name=TITLE_FR).is_visible()
    assert invitee.get_by_text("Bonjour Nadia El Amrani").is_visible()
    invitee.get_by_label("Je participerai").check()
    invitee.get_by_label("Qui participera pour votre organisation").fill(
        "Nadia El Amrani, Karim Alaoui"
    )
    invitee.get_by_role("button", name="Enregistrer ma réponse").click()
    assert invitee.get_by_text("Merci, votre réponse a été enregistrée.").is_visible()
    assert invitee.get_by_text("Vous avez accepté cette invitation.").is_visible()
    assert invitee.locator("html").get_attribute("lang") == "fr"
    _shot(invitee, "invitation-answered-fr.png")
    context.close()

    invitation = Invitation.objects.get(meeting=meeting, email=FRENCH_EMAIL)
    assert invitation.language == "fr"
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.attendees == "Nadia El Amrani, Karim Alaoui"
    assert invitation.answered_at is not None
    assert AuditEntry.objects.filter(
        chapter=chapter, action="invitation.answer", object_id=str(invitation.pk)
    ).exists()
    other = Invitation.objects.get(meeting=meeting, email=ARABIC_EMAIL)
    assert (other.language, other.status) == ("ar", Invitation.Status.SENT)
    assert Chapter.objects.get(country="MA").language_codes == ["ar", "fr"]
