"""The demo shows every kind of entry the audit trail can name, made by the
services the pages use, and an import in each state an organiser meets;
seeding it again changes no row and sends no e-mail."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from chapters.audit_trail import ACTION_LABELS
from chapters.demo import ORGANISER_EMAIL, STAFF_EMAIL
from chapters.models import AuditEntry, Chapter, Organiser, OrganiserInvitation
from meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    Idea,
    Invitation,
    InvitationLink,
    Material,
    Meeting,
)
from members.models import (
    ConfirmationLink,
    DoNotContact,
    ImportJob,
    InitialTask,
    Membership,
    MembershipEvent,
    Organisation,
    Prospect,
    Representative,
    Volunteering,
)
from tests.urls import url

pytestmark = pytest.mark.django_db

# A person's own notification settings and a representative's account are
# not a chapter's: their services record them without one, so they are in
# the staff's trail, not in a chapter's.
PERSONAL_ACTIONS = {"organiser.preferences", "representative.account_link"}
# Answers given through personal links, bounces reported by the mail
# provider and interest forms come from outside; the demo tells them at the
# dates they happened (seed_activity), as the dashboard's history.
# A failure the demo cannot cause without breaking the database under a
# running import (tests/members/test_import.py and the resilience tests
# cover it).
ACCIDENTS = {"import.fail"}
TOLD_ACTIONS = {
    "invitation.answer",
    "invitation.bounced",
    "membership.confirm",
    "membership.consult",
    "membership.decline",
    "membership.withdraw",
    "prospect.interest",
}
COUNTED = [
    AuditEntry,
    Organiser,
    OrganiserInvitation,
    ImportJob,
    Organisation,
    Prospect,
    Representative,
    DoNotContact,
    Membership,
    MembershipEvent,
    ConfirmationLink,
    InitialTask,
    Volunteering,
    Meeting,
    AgendaItem,
    Material,
    Invitation,
    InvitationLink,
    Attendance,
    Idea,
    Decision,
]


def seed(capture) -> None:
    # seed_chapter tells the demo's history once the seed has committed.
    with capture(execute=True):
        call_command("seed_demo", stdout=io.StringIO())


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_the_demo_chapters_trail_has_every_action_the_trail_names(
    django_capture_on_commit_callbacks,
):
    seed(django_capture_on_commit_callbacks)
    entries = AuditEntry.objects.filter(chapter=Chapter.objects.get(country="JO"))
    in_chapter = set(entries.values_list("action", flat=True))
    assert set(ACTION_LABELS) - PERSONAL_ACTIONS - ACCIDENTS - in_chapter == set()
    personal = AuditEntry.objects.filter(chapter=None, action__in=PERSONAL_ACTIONS)
    assert set(personal.values_list("action", flat=True)) == PERSONAL_ACTIONS
    by_services = set(
        entries.exclude(after__has_key="_demo").values_list("action", flat=True)
    )
    untold = set(ACTION_LABELS) - PERSONAL_ACTIONS - ACCIDENTS - TOLD_ACTIONS
    assert untold - by_services == set()


def test_the_demo_has_an_import_imported_and_one_waiting_in_its_preview(
    client, django_capture_on_commit_callbacks
):
    seed(django_capture_on_commit_callbacks)
    imported = ImportJob.objects.get(status=ImportJob.Status.IMPORTED)
    assert (imported.created_count, imported.merged_count) == (3, 1)
    assert imported.content == b""
    previewed = ImportJob.objects.get(status=ImportJob.Status.PREVIEWED)
    statuses = [row["status"] for row in previewed.rows]
    assert sorted(statuses) == ["duplicate", "error", "new", "new"]
    assert not Organisation.objects.filter(name_en="Karak Cultural Forum (demo)")
    client.force_login(get_user_model().objects.get(email=ORGANISER_EMAIL))
    upload = client.get(reverse("members:import", kwargs={"iso2": "jo"}))
    for job in (imported, previewed):
        url = reverse("members:import_job", kwargs={"iso2": "jo", "pk": job.pk})
        assert url in upload.content.decode()
        assert client.get(url).status_code == 200


def test_every_demo_trail_entry_shows_on_the_trail_pages(
    client, django_capture_on_commit_callbacks
):
    seed(django_capture_on_commit_callbacks)
    client.force_login(get_user_model().objects.get(email=STAFF_EMAIL))
    for action in ACTION_LABELS:
        chapter_trail = url("chapters:audit", "jo", language="ar")
        for page in (chapter_trail, url("chapters:staff_audit")):
            if action in PERSONAL_ACTIONS and page == chapter_trail:
                continue
            response = client.get(page, {"action": action})
            assert response.status_code == 200, (page, action)
            assert response.context["page_obj"].paginator.count >= 1, (page, action)


def test_seeding_the_demo_again_changes_no_row_and_sends_nothing(
    django_capture_on_commit_callbacks, mailoutbox
):
    seed(django_capture_on_commit_callbacks)
    first, sent = counts(), len(mailoutbox)
    seed(django_capture_on_commit_callbacks)
    assert counts() == first
    assert len(mailoutbox) == sent
